// `npm run token -- <user_id> [email]`: asks the running local server for a development token and prints it.
const [userId, email] = process.argv.slice(2);
const port = process.env.PORT ?? '3000';

const main = async (): Promise<void> => {
  if (!userId) throw new Error('Usage: npm run token -- <user_id> [email]');
  const url = `http://127.0.0.1:${port}/local/tokens`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: userId, email }) });
  } catch {
    throw new Error(`No local server answers on port ${port}. Start it first with: npm start`);
  }
  const body = (await res.json()) as { token?: string; message?: string };
  if (!body.token) throw new Error(body.message ?? `Unexpected answer ${res.status}`);
  process.stdout.write(`${body.token}\n`);
};

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
