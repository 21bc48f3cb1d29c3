/**
 * Cleanup after a failed or abandoned charge (void, delete, cancel): worth trying, never worth hiding the failure the
 * caller must hear. What it leaves behind is harmless: invoices are created with auto_advance off, so Stripe never
 * collects an open one on its own.
 */
export async function cleanUp(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch {
    // Deliberately ignored; see above.
  }
}
