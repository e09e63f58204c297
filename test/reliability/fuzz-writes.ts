// What the successful requests of a fuzz run may have written, and the check of the whole table against it: every
// item added, removed or changed must be explained by a success (its exact keys, derived from the answer and the
// table before), and every item a success must have written is there. A rejected request explains nothing, so
// anything it wrote fails the check.
import { CREATOR_ROLES } from '../../functions/domain/banks';
import {
  bankKey,
  customerKey,
  customerNumberGuardKey,
  entitlementByIdKey,
  entitlementKey,
  idempotencyRecordKey,
  linkByIdKey,
  linkKey,
  MESSAGE_SK_PREFIX,
  userLinkKey,
} from '../../functions/data/keys';
import { takesIdempotencyKey, writes, type Operation } from '../../functions/common/operations';
import { isValidIdempotencyKey } from './fuzz-values';
import { keyId, tableChange, type Request, type Response, type Snapshot } from './harness';

/** One request of a fuzz case and its answer. */
export interface Exchange {
  op: Operation;
  request: Request;
  res: Response;
  callerId: string;
  /** The path the function saw (an idempotency record is scoped by it). */
  path: string;
}

/** The customer fields each update may change, as stored: its own, and no other. */
export const OWN_FIELDS: Record<string, string[]> = {
  updateCustomerNumber: ['customer_number'],
  updateCustomerEmail: ['email'],
  updateCustomerMobileNumber: ['mobile_phone_number'],
  updateCustomerIdentity: ['legal_name', 'date_of_birth', 'title', 'name_suffix'],
  updateCustomerCreditLimit: ['credit_limit'],
  updateCustomerCreditRatingAndSource: ['credit_rating'],
  updateCustomerBranch: ['branch_id'],
  updateCustomerData: ['face_image', 'relationship_status', 'dependants', 'highest_education_attained', 'employment_status'],
};

export const isReplay = (res: Response): boolean => res.headers['idempotent-replayed'] === 'true';

const parse = (snapshotValue: string | undefined): Record<string, any> | undefined => (snapshotValue === undefined ? undefined : JSON.parse(snapshotValue));

/** Attributes that differ between two versions of an item; the customer's fields one by one (`customer.email`). */
const changedAttributes = (before: Record<string, any>, after: Record<string, any>): string[] => {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].flatMap((name) => {
    if (JSON.stringify(before[name]) === JSON.stringify(after[name])) return [];
    if (name !== 'customer') return [name];
    const fields = new Set([...Object.keys(before.customer ?? {}), ...Object.keys(after.customer ?? {})]);
    return [...fields].filter((f) => JSON.stringify(before.customer?.[f]) !== JSON.stringify(after.customer?.[f])).map((f) => `customer.${f}`);
  });
};

interface ExpectedEntitlement {
  userId: string;
  bankId: string;
  roleName: string;
}

export class ExpectedWrites {
  /** Keys that must be new after the run. */
  private readonly required = new Set<string>();
  /** Keys that may be new (an update that changed nothing need not store an idempotency record). */
  private readonly optional = new Set<string>();
  private readonly removals = new Set<string>();
  /** Keys that may change, each with the attributes that may. */
  private readonly changes = new Map<string, Set<string>>();
  /** New message items per customer partition. */
  private readonly messages = new Map<string, number>();
  /** Entitlements whose item by id has an id the answer does not show (a bank creator's). */
  private readonly entitlements: ExpectedEntitlement[] = [];
  /** Customers whose number may have moved. */
  private readonly numberMoves = new Set<string>();
  successes = 0;

  constructor(private readonly before: Snapshot) {}

  private allowChange(key: string, attributes: string[]): void {
    const allowed = this.changes.get(key) ?? new Set<string>();
    for (const a of attributes) allowed.add(a);
    this.changes.set(key, allowed);
  }

  private beforeItem(key: { PK: string; SK: string }): Record<string, any> {
    const item = parse(this.before.get(keyId(key)));
    if (!item) throw new Error(`A success removed ${keyId(key)}, which was not there before`);
    return item;
  }

  /** Notes what the successful exchange `x` may and must have written. */
  record(x: Exchange): void {
    const { op, request, res, callerId } = x;
    if (isReplay(res)) return; // a replay writes nothing
    this.successes++;
    const b = res.body as Record<string, any>;
    const params = request.params ?? {};
    const key = request.headers?.['idempotency-key'];
    if (takesIdempotencyKey(op) && key !== undefined && isValidIdempotencyKey(key)) {
      const record = keyId(idempotencyRecordKey(callerId, op.name, x.path, key));
      (op.name === 'updateCustomerNumber' ? this.optional : this.required).add(record);
    }
    const own = OWN_FIELDS[op.name];
    if (own) {
      this.allowChange(keyId(customerKey(params.CUSTOMER_ID as string)), [...own.map((f) => `customer.${f}`), 'updatedAt', 'updatedBy']);
      if (op.name === 'updateCustomerNumber') this.numberMoves.add(params.CUSTOMER_ID as string);
      return;
    }
    switch (op.name) {
      case 'createBank':
        this.required.add(keyId(bankKey(b.id)));
        for (const roleName of CREATOR_ROLES) {
          this.required.add(keyId(entitlementKey(callerId, b.id, roleName)));
          this.entitlements.push({ userId: callerId, bankId: b.id, roleName });
        }
        return;
      case 'addEntitlement':
        this.required.add(keyId(entitlementKey(params.USER_ID as string, b.bank_id, b.role_name)));
        this.required.add(keyId(entitlementByIdKey(b.entitlement_id)));
        return;
      case 'createCustomer':
        this.required.add(keyId(customerKey(b.customer_id)));
        this.required.add(keyId(customerNumberGuardKey(b.bank_id, b.customer_number)));
        return;
      case 'addCustomerMessage':
      case 'createCustomerMessage': {
        const pk = customerKey(params.CUSTOMER_ID as string).PK;
        this.messages.set(pk, (this.messages.get(pk) ?? 0) + 1);
        return;
      }
      case 'createUserCustomerLink':
        this.required.add(keyId(linkKey(b.customer_id, b.user_id)));
        this.required.add(keyId(userLinkKey(b.user_id, params.BANK_ID as string, b.customer_id)));
        this.required.add(keyId(linkByIdKey(b.user_customer_link_id)));
        this.allowChange(keyId(customerKey(b.customer_id)), ['linkCount']);
        return;
      case 'deleteEntitlement': {
        const byId = entitlementByIdKey(params.ENTITLEMENT_ID as string);
        const e = this.beforeItem(byId);
        this.removals.add(keyId(byId));
        this.removals.add(keyId(entitlementKey(e.userId, e.bankId, e.roleName)));
        return;
      }
      case 'deleteUserCustomerLink': {
        const byId = linkByIdKey(params.USER_CUSTOMER_LINK_ID as string);
        const l = this.beforeItem(byId);
        for (const k of [byId, linkKey(l.customerId, l.userId), userLinkKey(l.userId, l.bankId, l.customerId)]) this.removals.add(keyId(k));
        this.allowChange(keyId(customerKey(l.customerId)), ['linkCount']);
        return;
      }
      default:
        if (writes(op)) throw new Error(`The fuzz test does not know what a successful ${op.name} writes: add it to ExpectedWrites`);
    }
  }

  /** Compares the table after the run with the table before and what the successes explain. */
  verify(after: Snapshot): void {
    const { before } = this;
    const change = tableChange(before, after);
    const required = new Set(this.required);
    const removals = new Set(this.removals);
    // A customer whose number moved: its old guard is gone, the guard of its number now is new and points to it;
    // a guard of a number it held only in between is in neither table.
    for (const customerId of this.numberMoves) {
      const [was, is] = [before, after].map((s) => parse(s.get(keyId(customerKey(customerId))))?.customer as { bank_id: string; customer_number: string });
      if (!was || !is || was.customer_number === is.customer_number) continue;
      removals.add(keyId(customerNumberGuardKey(was.bank_id, was.customer_number)));
      const guard = keyId(customerNumberGuardKey(is.bank_id, is.customer_number));
      required.add(guard);
      expect(parse(after.get(guard))?.customerId).toBe(customerId);
    }
    // Items by id of entitlements whose id the answers did not show: each matches one expected entitlement.
    const unmatched = [...this.entitlements];
    const matched = new Set<string>();
    for (const k of change.added) {
      if (required.has(k) || !k.startsWith('ENTITLEMENT#')) continue;
      const item = parse(after.get(k)) as ExpectedEntitlement;
      const i = unmatched.findIndex((e) => e.userId === item.userId && e.bankId === item.bankId && e.roleName === item.roleName);
      if (i >= 0) {
        unmatched.splice(i, 1);
        matched.add(k);
      }
    }
    const isMessage = (k: string) => [...this.messages.keys()].some((pk) => k.startsWith(`${pk} | ${MESSAGE_SK_PREFIX}`));
    expect(change.added.filter((k) => !required.has(k) && !this.optional.has(k) && !matched.has(k) && !isMessage(k))).toEqual([]);
    expect([...required].filter((k) => !after.has(k) || before.has(k))).toEqual([]);
    expect(unmatched).toEqual([]);
    expect(change.removed).toEqual([...removals].sort());
    const unexplained = change.changed.flatMap((k) => {
      const allowed = this.changes.get(k);
      const attributes = changedAttributes(parse(before.get(k)) as Record<string, any>, parse(after.get(k)) as Record<string, any>);
      return attributes.filter((a) => !allowed?.has(a)).map((a) => `${k}: ${a}`);
    });
    expect(unexplained).toEqual([]);
    for (const [pk, n] of this.messages) {
      expect({ pk, messages: change.added.filter((k) => k.startsWith(`${pk} | ${MESSAGE_SK_PREFIX}`)).length }).toEqual({ pk, messages: n });
    }
  }
}
