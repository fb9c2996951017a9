/** Phone numbers as staff read them: mainland mobiles grouped 3-4-4, and "ends in 7206" on cards. */

/** "+8613179907206" -> "131 7990 7206"; other numbers are shown as stored. */
export function formatPhone(e164: string): string {
  const mainland = /^\+86(1\d{10})$/.exec(e164);
  if (!mainland?.[1]) return e164;
  const n = mainland[1];
  return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
}

/** The last four digits: what a customer says at the desk, and all a results card needs. */
export function phoneEnding(e164: string): string {
  return e164.replace(/\D/g, '').slice(-4);
}
