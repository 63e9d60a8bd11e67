/**
 * Printable documents: the recycling certificate (报废机动车回收证明, Order 715 Art. 9) carrying the
 * EU Certificate of Destruction minimum fields (Decision 2002/151/EC Annex), as JSON and PDF; and
 * the 报废机动车回用件 label of a reusable part with a QR code to its public history.
 */
import type { Db } from '../../db/database.ts';
import { notFound } from '../../shared/errors.ts';
import { formatMajorUnits } from '../../shared/money.ts';
import { type DocumentSpec, renderPdf } from '../../shared/pdf.ts';
import { getParty, type Principal, requirePermission } from '../parties/index.ts';
import * as repo from './dismantling.repository.ts';
import { publicHistoryUrl } from './dismantling.service.ts';

const notRecorded = null;

/** The certificate as a JSON document; personal data appears only while it is not erased. */
export async function certificateDocument(db: Db, principal: Principal, vin: string) {
  requirePermission(principal, 'dismantling:read');
  const k = db.kysely;
  const certificate = await repo.findCertificate(k, vin);
  if (!certificate) throw notFound('certificate_not_found', `no recycling certificate for ${vin}`);
  const intake = (await repo.findIntake(k, vin))!;
  const owner = await repo.findOwner(k, vin);
  const deregistration = await repo.findDeregistration(k, vin);
  const facility = await repo.findFacility(k, certificate.issuer_party_id);
  let issuerName = facility?.name ?? null;
  if (!issuerName) {
    try {
      issuerName = (await getParty(db, principal, certificate.issuer_party_id)).name;
    } catch {
      issuerName = certificate.issuer_party_id;
    }
  }
  const documents = JSON.parse(intake.documents) as {
    registrationCertificate: boolean;
    drivingLicence: boolean;
    platesReturned: number;
  };
  const erased = owner?.erased_at != null;
  return {
    certificateNumber: certificate.certificate_number,
    scheme: certificate.scheme,
    title: {
      zh: '报废机动车回收证明',
      en: 'End-of-life vehicle recycling certificate / Certificate of Destruction',
    },
    issuedAt: certificate.issued_at,
    vin,
    vehicle: {
      make: intake.make,
      model: intake.model,
      modelYear: intake.model_year,
      vehicleClass: intake.vehicle_class,
      powertrain: intake.powertrain,
      engineNumber: intake.engine_number,
      massKg: intake.mass_kg,
      firstRegisteredOn: intake.first_registered_on,
      tractionPackCode: intake.pack_code,
    },
    receivedAt: intake.received_at,
    missingItems: JSON.parse(intake.missing_items) as string[],
    documentsTakenBack: documents,
    deregistration: deregistration
      ? {
          deregisteredAt: deregistration.deregistered_at,
          authorityPartyId: deregistration.authority_party_id,
          reference: deregistration.reference,
        }
      : null,
    // Decision 2002/151/EC Annex: the minimum content of a Certificate of Destruction, items 1–7.
    certificateOfDestruction: {
      issuingFacility: {
        name: issuerName,
        address: facility?.address ?? notRecorded,
        registrationNumber: facility?.permit_number ?? notRecorded,
        signature: null,
      },
      permittingAuthority: {
        name: facility?.authority_name ?? notRecorded,
        address: facility?.authority_address ?? notRecorded,
      },
      dateOfIssue: certificate.issued_at.slice(0, 10),
      vehicleRegistration: {
        nationalityMark: owner?.registration_country ?? notRecorded,
        registrationNumber: owner?.plate_number ?? notRecorded,
        registrationDocument: documents.registrationCertificate
          ? 'taken back by the facility'
          : 'not taken back',
      },
      vehicle: { class: intake.vehicle_class, brand: intake.make, model: intake.model },
      vin,
      holder: {
        name: owner?.holder_name ?? notRecorded,
        address: owner?.holder_address ?? notRecorded,
        nationality: owner?.nationality ?? notRecorded,
        signature: null,
      },
    },
    personalDataErased: erased,
  };
}

export type CertificateDocument = Awaited<ReturnType<typeof certificateDocument>>;

const show = (value: unknown) =>
  value === null || value === undefined || value === '' ? '—' : String(value);

export async function certificatePdf(db: Db, principal: Principal, vin: string): Promise<Buffer> {
  const c = await certificateDocument(db, principal, vin);
  const cod = c.certificateOfDestruction;
  const spec: DocumentSpec = {
    title: { zh: '报废机动车回收证明', en: 'ELV recycling certificate / Certificate of Destruction' },
    subtitle: `No. ${c.certificateNumber} · ${c.issuedAt}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          { label: { zh: '证明编号', en: 'Certificate number' }, value: c.certificateNumber },
          { label: { zh: '签发日期', en: '3. Date of issue' }, value: cod.dateOfIssue },
          { label: { zh: '车辆识别代号', en: '6. VIN' }, value: c.vin },
        ],
      },
      { kind: 'heading', text: { zh: '回收企业', en: '1. Issuing facility' } },
      {
        kind: 'fields',
        rows: [
          { label: { zh: '名称', en: 'Name' }, value: show(cod.issuingFacility.name) },
          { label: { zh: '地址', en: 'Address' }, value: show(cod.issuingFacility.address) },
          {
            label: { zh: '资质编号', en: 'Registration / permit number' },
            value: show(cod.issuingFacility.registrationNumber),
          },
        ],
      },
      { kind: 'heading', text: { zh: '许可机关', en: '2. Permitting authority' } },
      {
        kind: 'fields',
        rows: [
          { label: { zh: '名称', en: 'Name' }, value: show(cod.permittingAuthority.name) },
          { label: { zh: '地址', en: 'Address' }, value: show(cod.permittingAuthority.address) },
        ],
      },
      { kind: 'heading', text: { zh: '车辆', en: '4–5. Vehicle' } },
      {
        kind: 'fields',
        rows: [
          {
            label: { zh: '号牌', en: 'Nationality mark and registration number' },
            value: `${show(cod.vehicleRegistration.nationalityMark)} ${show(cod.vehicleRegistration.registrationNumber)}`,
          },
          {
            label: { zh: '登记证书', en: 'Registration document' },
            value: cod.vehicleRegistration.registrationDocument,
          },
          { label: { zh: '车辆类别', en: 'Class' }, value: cod.vehicle.class },
          {
            label: { zh: '品牌型号', en: 'Brand and model' },
            value: `${cod.vehicle.brand} ${cod.vehicle.model}`,
          },
          { label: { zh: '发动机号', en: 'Engine number' }, value: show(c.vehicle.engineNumber) },
          { label: { zh: '接收时质量', en: 'Mass at intake (kg)' }, value: String(c.vehicle.massKg) },
          {
            label: { zh: '动力蓄电池编码', en: 'Traction pack code' },
            value: show(c.vehicle.tractionPackCode),
          },
          {
            label: { zh: '缺失部件', en: 'Missing items' },
            value: c.missingItems.length ? c.missingItems.join(', ') : '—',
          },
        ],
      },
      { kind: 'heading', text: { zh: '车辆所有人', en: '7. Holder / owner delivering the vehicle' } },
      {
        kind: 'fields',
        rows: [
          {
            label: { zh: '姓名/名称', en: 'Name' },
            value: c.personalDataErased ? '[erased]' : show(cod.holder.name),
          },
          {
            label: { zh: '地址', en: 'Address' },
            value: c.personalDataErased ? '[erased]' : show(cod.holder.address),
          },
          {
            label: { zh: '国籍', en: 'Nationality' },
            value: c.personalDataErased ? '[erased]' : show(cod.holder.nationality),
          },
        ],
      },
      {
        kind: 'fields',
        rows: [
          {
            label: { zh: '注销登记', en: 'Deregistered' },
            value: c.deregistration ? c.deregistration.deregisteredAt : 'pending',
          },
          { label: { zh: '企业签章', en: 'Facility signature' }, value: '______________________' },
          { label: { zh: '所有人签字', en: 'Holder signature' }, value: '______________________' },
        ],
      },
    ],
    footer:
      'Order 715 (2019) Art. 9; Decision 2002/151/EC Annex (Certificate of Destruction minimum content). Issued through Carloop; verify the vehicle history on the lifecycle log.',
  };
  return renderPdf(spec);
}

/** The 报废机动车回用件 label (100 × 60 mm) with a QR code to the part's public history. */
export async function partLabelPdf(db: Db, principal: Principal, partId: string): Promise<Buffer> {
  requirePermission(principal, 'dismantling:read');
  const part = await repo.findPart(db.kysely, partId);
  if (part?.part_class !== 'reusable') throw notFound('part_not_found', `no reusable part ${partId}`);
  const url = publicHistoryUrl(part.part_id);
  return renderPdf({
    size: [283, 170],
    title: { zh: '报废机动车回用件', en: 'ELV reused part' },
    subtitle: part.part_id,
    blocks: [
      {
        kind: 'fields',
        rows: [
          { label: { zh: '零件号', en: 'Part no.' }, value: show(part.part_number) },
          { label: { zh: '名称', en: 'Name' }, value: show(part.name ?? part.category) },
          { label: { zh: '状况', en: 'Condition' }, value: part.condition },
          { label: { zh: '来源车辆', en: 'From VIN' }, value: part.vin },
          {
            label: { zh: '价格', en: 'Price' },
            value: `${formatMajorUnits(part.value_minor, part.currency)} ${part.currency}`,
          },
        ],
      },
      { kind: 'qr', data: url, caption: url },
    ],
  });
}
