import Fastify from 'fastify';
import { createSchema, createYoga } from 'graphql-yoga';
import Stripe from 'stripe';

// The baselines of `npm run bench`, one per process: `node baseline-servers.js <echo|graphql|direct-sdk>`. They answer
// what a user would otherwise run, with nothing this service adds (no auth, no store, no validation).

const port = Number(process.env['PORT']);
const app = Fastify({ logger: false });

function echo(): void {
  app.post('/echo', async (request) => request.body);
}

function graphql(): void {
  const yoga = createYoga<{ req: unknown; reply: unknown }>({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean } type Mutation { echo(text: String!): String! }', resolvers: { Mutation: { echo: (_root, args: { text: string }) => args.text } } }),
    logging: false,
    landingPage: false,
  });
  app.route({
    url: '/graphql',
    method: ['POST'],
    handler: async (request, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(request, reply, { req: request, reply });
      response.headers.forEach((value, key) => void reply.header(key, value));
      return reply.status(response.status).send(response.body);
    },
  });
}

/** The common way with the SDK: invoice item → invoice (including pending items) → finalize → pay → PaymentIntent. */
function directSdk(): void {
  const base = new URL(process.env['STRIPE_API_BASE']!);
  const stripe = new Stripe(process.env['STRIPE_KEY']!, { host: base.hostname, port: base.port, protocol: 'http', telemetry: false });
  const { PRICE: price, TAX_RATE: taxRate } = process.env as Record<string, string>;
  // Pending invoice items are swept by whichever invoice of the customer comes next, so concurrent requests for one
  // customer steal each other's items; spreading them over many customers keeps the baseline from measuring that race.
  const customers = process.env['CUSTOMERS']!.split(',');
  let next = 0;
  app.post('/charge', async () => {
    const customer = customers[next++ % customers.length]!;
    await stripe.invoiceItems.create({ customer, pricing: { price: price! }, quantity: 1, tax_rates: [taxRate!] });
    const invoice = await stripe.invoices.create({ customer, pending_invoice_items_behavior: 'include', auto_advance: false });
    await stripe.invoices.finalizeInvoice(invoice.id);
    const paid = await stripe.invoices.pay(invoice.id, { expand: ['payments'] });
    const intentId = paid.payments?.data[0]?.payment.payment_intent;
    return typeof intentId === 'string' ? stripe.paymentIntents.retrieve(intentId) : paid;
  });
}

const kind = process.argv[2];
if (kind === 'echo') echo();
else if (kind === 'graphql') graphql();
else if (kind === 'direct-sdk') directSdk();
else throw new Error(`unknown baseline ${kind}`);
app.listen({ port, host: '127.0.0.1' }).then(() => console.log(`baseline ${kind} listening`));
