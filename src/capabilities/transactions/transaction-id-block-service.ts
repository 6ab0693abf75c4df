/**
 * Transaction ids the CSMS issues (OCPP 1.6 assigns them in StartTransaction.conf,
 * §4.8; the version adapter says when) come from one database sequence, so they are unique across nodes. A
 * node takes them a block at a time: a start then needs no round trip of its
 * own. Ids are unique but, across nodes or restarts, not in start order, and a
 * block left unused when a node stops leaves a gap; neither matters to a
 * station, which only echoes the id back.
 */
export class IssuedIdBlock {
  private ids: number[] = [];
  private next = 0;
  private refill: Promise<void> | null = null;

  constructor(
    private readonly take: (count: number) => Promise<number[]>,
    private readonly blockSize = 100,
  ) {}

  async allocate(): Promise<number> {
    while (this.next >= this.ids.length) {
      // Starts that arrive while a block is being fetched share that one fetch.
      this.refill ??= this.take(this.blockSize)
        .then((ids) => {
          this.ids = ids;
          this.next = 0;
        })
        .finally(() => (this.refill = null));
      await this.refill;
    }
    return this.ids[this.next++]!;
  }
}
