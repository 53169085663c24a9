/**
 * Resolves at the first SIGINT or SIGTERM. Call it before a long start so a signal that comes
 * early still stops the process cleanly; a second signal then kills it the usual way.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const finish = (signal: NodeJS.Signals) => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve(signal);
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
