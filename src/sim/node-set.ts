/** A set of node indices with O(1) add and clear, listing nodes in first-added order. */
export class NodeSet {
  readonly list: Int32Array;
  private readonly member: Uint8Array;
  private n = 0;

  constructor(nodeCount: number) {
    this.list = new Int32Array(nodeCount);
    this.member = new Uint8Array(nodeCount);
  }

  get count(): number {
    return this.n;
  }

  has(node: number): boolean {
    return this.member[node] === 1;
  }

  add(node: number): void {
    if (this.member[node] === 1) return;
    this.member[node] = 1;
    this.list[this.n++] = node;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.member[this.list[i]] = 0;
    this.n = 0;
  }
}
