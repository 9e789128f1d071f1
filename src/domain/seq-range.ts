/** A generation's sequence numbers: `count` messages from `first` (its own file: accounting and failover both read it). */
export interface SeqRange {
  first: number;
  count: number;
}
