/** What the proxy does to traffic. */
export type Fault =
  | 'pass'
  | 'refuse'
  | 'blackhole'
  | 'pause'
  | {
      slow: number;
    };
/**
 * A TCP proxy in front of a real service (loopback only) that can pass, refuse, blackhole,
 * pause, slow and flap, to put real faults between watchman and the real server.
 */
export interface FaultProxy {
  readonly port: number;
  readonly fault: Fault;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Local ports of the open connections to the real server (as the server sees its clients). */
  upstreamPorts(): number[];
  set(fault: Fault): Promise<void>;
  /** Alternates between `refuse` and `pass` every `ms` until the returned stop() (then `pass`). */
  flap(ms: number): () => Promise<void>;
  close(): Promise<void>;
}
export declare function faultProxy(targetPort: number, targetHost?: string): Promise<FaultProxy>;
