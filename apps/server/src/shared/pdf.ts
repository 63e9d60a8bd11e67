import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * Printable documents (quotes, settlement statements, certificates, labels). Chinese text needs a CJK
 * font: CARLOOP_CJK_FONT (a .ttf/.otf/.ttc path), else the first of the common system fonts below
 * (Debian: `apt-get install fonts-wqy-microhei`). Without one, documents are still produced, with the
 * Chinese text shown as its English counterpart and a note saying so.
 */
const cjkFontCandidates = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

export function findCjkFont(): { path: string; family?: string } | null {
  const configured = process.env.CARLOOP_CJK_FONT;
  if (configured && existsSync(configured)) return { path: configured };
  return cjkFontCandidates.find((c) => existsSync(c.path)) ?? null;
}

/** A bilingual label: `zh` is shown beside `en` when a CJK font is available. */
export interface Bilingual {
  en: string;
  zh?: string;
}

export type DocumentBlock =
  | { kind: 'heading'; text: Bilingual }
  | { kind: 'paragraph'; text: Bilingual }
  | { kind: 'fields'; rows: Array<{ label: Bilingual; value: string }> }
  | { kind: 'table'; columns: Bilingual[]; rows: string[][]; align?: Array<'left' | 'right'> }
  | { kind: 'qr'; data: string; caption?: string };

export interface DocumentSpec {
  title: Bilingual;
  subtitle?: string;
  blocks: DocumentBlock[];
  footer?: string;
  /** Page size, default A4; labels use e.g. [283, 170] (100 × 60 mm). */
  size?: string | [number, number];
}

const hasCjk = (text: string) => /[\u3000-\u9fff\uff00-\uffef]/.test(text);

/** Render a document to PDF bytes. */
export async function renderPdf(spec: DocumentSpec): Promise<Buffer> {
  const doc = new PDFDocument({
    size: spec.size ?? 'A4',
    margin: spec.size && typeof spec.size !== 'string' ? 12 : 50,
    info: { Title: spec.title.en },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const cjk = findCjkFont();
  if (cjk) doc.registerFont('cjk', cjk.path, cjk.family);
  const font = (text: string) => doc.font(cjk && hasCjk(text) ? 'cjk' : 'Helvetica');
  const say = (b: Bilingual) => (b.zh && cjk ? `${b.zh}  ${b.en}` : b.en);
  const small = typeof spec.size !== 'string' && spec.size !== undefined;

  font(say(spec.title))
    .fontSize(small ? 11 : 18)
    .text(say(spec.title));
  if (spec.subtitle)
    font(spec.subtitle)
      .fontSize(small ? 7 : 10)
      .fillColor('#555')
      .text(spec.subtitle)
      .fillColor('black');
  doc.moveDown(small ? 0.3 : 0.8);
  for (const block of spec.blocks) await renderBlock(doc, block, font, say, small);
  if (spec.footer) {
    doc.moveDown();
    font(spec.footer)
      .fontSize(small ? 6 : 8)
      .fillColor('#666')
      .text(spec.footer);
  }
  if (!cjk && JSON.stringify(spec).match(/"zh":/)) {
    doc
      .moveDown()
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#999')
      .text('(No CJK font on this server: Chinese labels omitted. Set CARLOOP_CJK_FONT.)');
  }
  doc.end();
  return done;
}

type Font = (text: string) => PDFKit.PDFDocument;

async function renderBlock(
  doc: PDFKit.PDFDocument,
  block: DocumentBlock,
  font: Font,
  say: (b: Bilingual) => string,
  small: boolean,
) {
  const size = small ? 7 : 10;
  switch (block.kind) {
    case 'heading':
      doc.moveDown(0.5);
      font(say(block.text))
        .fontSize(small ? 8 : 13)
        .text(say(block.text));
      doc.moveDown(0.2);
      return;
    case 'paragraph':
      font(say(block.text)).fontSize(size).text(say(block.text));
      return;
    case 'fields':
      for (const row of block.rows) {
        const label = `${say(row.label)}: `;
        font(label).fontSize(size).text(label, { continued: true });
        font(row.value).text(row.value);
      }
      return;
    case 'table': {
      const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
      const columnWidth = width / block.columns.length;
      const line = (cells: string[], bold: boolean) => {
        const y = doc.y;
        let height = 0;
        cells.forEach((cell, i) => {
          font(cell).fontSize(size);
          if (bold && !hasCjk(cell)) doc.font('Helvetica-Bold');
          const options = { width: columnWidth - 4, align: block.align?.[i] ?? 'left' } as const;
          doc.text(cell, doc.page.margins.left + i * columnWidth, y, options);
          height = Math.max(height, doc.heightOfString(cell, options));
        });
        doc.x = doc.page.margins.left;
        doc.y = y + height + 3;
      };
      line(block.columns.map(say), true);
      for (const row of block.rows) {
        if (doc.y > doc.page.height - doc.page.margins.bottom - 30) doc.addPage();
        line(row, false);
      }
      return;
    }
    case 'qr': {
      const png = await QRCode.toBuffer(block.data, { margin: 1, width: small ? 90 : 140 });
      doc.image(png, { width: small ? 60 : 110 });
      if (block.caption)
        font(block.caption)
          .fontSize(small ? 5 : 8)
          .text(block.caption);
      return;
    }
  }
}
