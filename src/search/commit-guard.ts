/** The rule every engine applies before a new generation replaces the live one. Pure. */

/** Why a generation of `documents` must not replace a live one of `liveDocuments`; undefined when it may. */
export function commitRefusal(documents: number, liveDocuments: number, maxDropShare: number): string | undefined {
  if (documents === 0) return 'the new index is empty; the live index was kept';
  const floor = Math.ceil(liveDocuments * (1 - maxDropShare));
  if (documents < floor) {
    return (
      `the new index has ${documents} documents, the live one ${liveDocuments}: a drop of more than ` +
      `${Math.round(maxDropShare * 100)}% is refused; the live index was kept`
    );
  }
  return undefined;
}
