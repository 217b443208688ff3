/**
 * Trusting a private CA: the certificate comes from a Secret as a read-only volume, and the
 * program is pointed at the file (a flag, an environment variable or a config path). One helper
 * builds all three, so that the volume, its mount and the path the program reads never disagree.
 */
import { k8s } from 'cdk8s-plus-28';

/** Where a CA certificate is kept. */
export interface CaSecret {
  /** The Secret holding the certificate (the certificate only, never a key). */
  readonly secretName: string;
  /** Key of the certificate in the Secret. @default 'ca.crt' */
  readonly key?: string;
}

/** How the certificate is mounted in one container. */
export interface CaMountOptions {
  /** Name of the volume in the pod. */
  readonly volumeName: string;
  /** Directory the Secret is mounted at. */
  readonly mountPath: string;
  /** Name of the certificate's file in that directory. @default - the Secret key */
  readonly fileName?: string;
  /** Mode of the files. @default 0o440 */
  readonly mode?: number;
  /**
   * Project only the certificate's key; false mounts every key of the Secret under its own name
   * (then `fileName` must be left out).
   * @default true
   */
  readonly onlyKey?: boolean;
}

/** A CA as one container sees it. */
export interface CaTrust {
  /** The Secret and key the certificate comes from (the key defaulted). */
  readonly secret: Required<CaSecret>;
  readonly volume: k8s.Volume;
  /** Read-only. */
  readonly mount: k8s.VolumeMount;
  /** The certificate's path in the container: what the program's flag or config names. */
  readonly file: string;
}

/** The default key of a CA certificate in its Secret. */
export const CA_KEY = 'ca.crt';

/** The volume, read-only mount and file path of a CA certificate kept in a Secret. */
export function caTrust(ca: CaSecret, o: CaMountOptions): CaTrust {
  const key = ca.key ?? CA_KEY;
  const onlyKey = o.onlyKey ?? true;
  if (!onlyKey && o.fileName !== undefined && o.fileName !== key) {
    throw new Error(`ca volume "${o.volumeName}": fileName "${o.fileName}" needs onlyKey; a whole Secret is mounted under its key names`);
  }
  const fileName = o.fileName ?? key;
  return {
    secret: { secretName: ca.secretName, key },
    volume: {
      name: o.volumeName,
      secret: { secretName: ca.secretName, defaultMode: o.mode ?? 0o440, ...(onlyKey ? { items: [{ key, path: fileName }] } : {}) },
    },
    mount: { name: o.volumeName, mountPath: o.mountPath, readOnly: true },
    file: `${o.mountPath}/${fileName}`,
  };
}

/** `caTrust` for a CA that may be absent (plain connections, or the system's trusted CAs): undefined then. */
export function optionalCaTrust(ca: CaSecret | undefined, o: CaMountOptions): CaTrust | undefined {
  return ca ? caTrust(ca, o) : undefined;
}

/** The volumes of the CAs given, skipping absent ones. */
export function caVolumesOf(...trusts: ReadonlyArray<CaTrust | undefined>): k8s.Volume[] {
  return trusts.filter((t): t is CaTrust => t !== undefined).map((t) => t.volume);
}

/** The mounts of the CAs given, skipping absent ones. */
export function caMountsOf(...trusts: ReadonlyArray<CaTrust | undefined>): k8s.VolumeMount[] {
  return trusts.filter((t): t is CaTrust => t !== undefined).map((t) => t.mount);
}
