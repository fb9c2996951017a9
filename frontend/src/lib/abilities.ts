/**
 * What the signed-in user may do, as the server's one table answers it (`me.abilities`,
 * `viewerCan` on objects). Screens ask here; none names a role.
 */
import type { introspection } from '../graphql-env';

export type Ability = introspection['types']['Ability']['enumValues'];

/** Whether the user's abilities allow `ability`. A profile cached before abilities existed
 * allows nothing until it is fetched again. */
export function can(user: { abilities?: readonly Ability[] | null }, ability: Ability): boolean {
  return user.abilities?.includes(ability) ?? false;
}

/** Whether the viewer may take `ability` on this object (its `viewerCan` list). */
export function viewerCan(object: { viewerCan?: readonly Ability[] | null }, ability: Ability): boolean {
  return object.viewerCan?.includes(ability) ?? false;
}
