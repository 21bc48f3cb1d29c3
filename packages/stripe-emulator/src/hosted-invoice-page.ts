import type Stripe from 'stripe';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A plain page standing in for Stripe's hosted invoice page, so `hostedInvoiceUrl` leads somewhere real locally. */
/** The two answers a customer can give to 3-D Secure, as buttons posting to the control surface. */
function authentication(intent: Stripe.PaymentIntent | undefined): string {
  if (intent?.status !== 'requires_action') return '';
  const action = `/_emulator/payment_intents/${escape(intent.id)}/authenticate`;
  const button = (outcome: string, label: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}"><button type="submit">${label}</button></form>`;
  return `<section><h2>This payment needs 3-D Secure</h2>${button('succeeded', 'Complete authentication')}${button('failed', 'Fail authentication')}</section>`;
}

export function hostedInvoicePage(invoice: Stripe.Invoice, intent?: Stripe.PaymentIntent): string {
  const amount = (value: number) => `${value} ${escape(invoice.currency)}`;
  const lines = invoice.lines.data
    .map((line) => `<tr><td>${escape(line.description ?? '')}</td><td>${amount(line.amount)}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Invoice ${escape(invoice.number ?? invoice.id)}</title></head>
<body><h1>Invoice ${escape(invoice.number ?? invoice.id)} (${escape(String(invoice.status))})</h1>
<p>Stripe emulator: amounts are in the currency's smallest unit.</p>
<table>${lines}<tr><td>Subtotal</td><td>${amount(invoice.subtotal)}</td></tr>
<tr><td>Total</td><td>${amount(invoice.total)}</td></tr><tr><td>Amount due</td><td>${amount(invoice.amount_due)}</td></tr></table>
${authentication(intent)}
${invoice.footer ? `<footer>${escape(invoice.footer)}</footer>` : ''}</body></html>`;
}
