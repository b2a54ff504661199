// Values that are filled in later (by Helm, envsubst, Kubernetes or a human)
// are not literals: rules about committed secrets must not count them.
import { isTemplated } from './app-references.js';

/** `{{ .Values.x }}`, `${VAR}`, `$(VAR)` anywhere, or a whole value such as `<your-password>`. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return isTemplated(v) || /^<[^<>]*>$/.test(v);
}

/** A value that holds something: not empty and not a placeholder. */
export function isLiteral(value: string): boolean {
  return value.trim() !== '' && !isPlaceholder(value);
}
