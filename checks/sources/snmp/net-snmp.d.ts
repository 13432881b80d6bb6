// The part of net-snmp 3.x we use (the package ships no types).
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export type ResponseCallback = (error: Error | null, varbinds?: Varbind[]) => void;
  export type BulkCallback = (error: Error | null, varbinds?: (Varbind | Varbind[])[]) => void;

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
    reportOidMismatchErrors?: boolean;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: string;
    authKey?: string;
    privProtocol?: string;
    privKey?: string;
  }

  export interface Session extends EventEmitter {
    get(oids: string[], cb: ResponseCallback): Session;
    getNext(oids: string[], cb: ResponseCallback): Session;
    getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, cb: BulkCallback): Session;
    close(): Session;
  }

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;
  export function isVarbindError(varbind: Varbind): boolean;

  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const ObjectType: Record<string, number>;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<string, string>;
  export const PrivProtocols: Record<string, string>;
  export const ResponseInvalidCode: Record<string, number>;
  export const ErrorStatus: Record<string, number>;

  const snmp: {
    createSession: typeof createSession;
    createV3Session: typeof createV3Session;
    isVarbindError: typeof isVarbindError;
    Version1: number;
    Version2c: number;
    Version3: number;
    ObjectType: Record<string, number>;
    SecurityLevel: typeof SecurityLevel;
    AuthProtocols: Record<string, string>;
    PrivProtocols: Record<string, string>;
    ResponseInvalidCode: Record<string, number>;
    ErrorStatus: Record<string, number>;
  };
  export default snmp;
}
