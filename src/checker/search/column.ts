// A growable column of int32s, for edge lists that grow with the search (the parallel search's
// edge logs): `data` holds the first `length` values.
export class Column {
  data = new Int32Array(1 << 10);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
