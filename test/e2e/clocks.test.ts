/**
 * A clock simul in the browser: the host sets clocks in the form, two players sit down, the clocks
 * run on every board (the spectator's grid, the players' bars), one player lets his flag fall, and
 * the finished games are stepped through move by move with the buttons and the arrow keys.
 */
import { Chess } from 'chess.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { myTurn, openTabs, playMove, ply, screenshots, takeSeat, type Tab } from './harness.js';

const server = { url: inject('simulUrl') };
let browser: Browser;
let host: Tab;
let alice: Tab;
let bob: Tab;
let spectator: Tab;
let inviteUrl = '';
let exhibitionId = '';

/** A clock's face as seconds: "0:14" → 14. */
const secondsOf = (text: string | null) => {
  const parts = (text ?? '').split(':').map(Number);
  return parts.reduce((s, p) => s * 60 + p, 0);
};

beforeAll(async () => {
  ({ browser, tabs: [host, alice, bob, spectator] } = await openTabs(4));
});

afterAll(async () => {
  await browser?.close();
});

describe('a clock simul in the browser', () => {
  it('the host sets the clocks in the form', async () => {
    const page = host.page;
    await page.goto(`${server.url}/host`);
    await page.getByLabel('Name').fill('Blitz simul');
    await page.getByLabel('Boards').fill('2');
    await page.getByLabel('Think time per move').fill('0.2');
    await page.getByLabel('Never resigns').check();
    await page.getByLabel('Description').fill('Ten seconds each. Rules: https://example.org/rules.');
    await page.getByLabel('No clocks').uncheck();
    await page.getByLabel('Time per game').fill('10');
    await page.getByLabel('Increment').fill('5');
    await page.getByLabel('Judit’s extra time').fill('20');
    await expect.poll(() => page.locator('.field-error:visible').count()).toBe(0);
    await screenshots(page, 'clocks-host-form');
    await page.getByRole('button', { name: 'Create exhibition' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/x\/[^/]+\/host#key=/);
    exhibitionId = /\/x\/([^/]+)\/host/.exec(page.url())![1];
    inviteUrl = (await page.getByTestId('invite-link').inputValue()) ?? '';
  });

  it('two players sit down; the join page states the clocks', async () => {
    await alice.page.goto(inviteUrl);
    await expect.poll(() => alice.page.locator('.terms').textContent()).toMatch(/Clocks: 0:10 each \+ 5 s a move; Judit has 0:30 on every board/);
    await takeSeat(alice, inviteUrl, 'Alice');
    await takeSeat(bob, inviteUrl, 'Bob');
    // before the start the clocks stand full
    expect(await alice.page.getByTestId('clock-opponent').textContent()).toBe('0:10');
    expect(await alice.page.getByTestId('clock-judit').textContent()).toBe('0:30');
  });

  it('the spectator sees the description with a safe link, and both clocks on every board', async () => {
    await spectator.page.goto(`${server.url}/x/${exhibitionId}`);
    const link = spectator.page.getByTestId('description').getByRole('link');
    await expect.poll(() => link.getAttribute('href')).toBe('https://example.org/rules');
    expect(await link.getAttribute('rel')).toBe('noopener nofollow ugc');
    await expect.poll(() => spectator.page.locator('.cell [data-testid=clocks]').count()).toBe(2);
    expect(await spectator.page.locator('.cell[data-table="1"] .clock').allTextContents()).toEqual(['Judit 0:30', 'Alice 0:10']);
  });

  it('a chat message typed by a player appears on the spectator page and in the console, as text', async () => {
    const input = alice.page.getByTestId('chat-input');
    await input.fill('Good luck <b>all</b>!');
    await input.press('Enter');
    const line = spectator.page.locator('[data-testid=chat] .chat-message').first();
    await expect.poll(() => line.textContent()).toBe('AliceGood luck <b>all</b>!');
    expect(await spectator.page.locator('[data-testid=chat] b').count()).toBe(0);
    // a spectator reads along; writing is for the players and the host
    await expect.poll(() => spectator.page.locator('.chat-note').textContent()).toMatch(/you read along/);
    await expect.poll(() => host.page.locator('[data-testid=chat] .chat-message').count()).toBe(1);
    await screenshots(spectator.page, 'chat-spectator');
    // the host takes it down: it goes from every page
    await host.page.getByRole('button', { name: 'Delete the message from Alice' }).click();
    await expect.poll(() => spectator.page.locator('[data-testid=chat] .chat-message').count()).toBe(0);
    await expect.poll(() => alice.page.locator('[data-testid=chat] .chat-message').count()).toBe(0);
  });

  it('the clocks run: Judit’s while it is her move, the player’s while it is theirs', async () => {
    await host.page.getByTestId('start').click();
    await myTurn(alice.page, 1);
    await myTurn(bob.page, 1);
    for (const id of ['move-input', 'offer-draw', 'resign']) expect(await bob.page.getByTestId(id).isVisible()).toBe(true);
    // Alice's clock runs down on her page and on the spectator's grid
    const aliceClock = alice.page.getByTestId('clock-opponent');
    await expect.poll(async () => secondsOf(await aliceClock.textContent()), { timeout: 5_000 }).toBeLessThan(10);
    await expect.poll(() => aliceClock.getAttribute('class')).toMatch(/running/);
    const gridClock = spectator.page.locator('.cell[data-table="1"] .clock.running .clock-time');
    await expect.poll(async () => secondsOf(await gridClock.textContent()), { timeout: 5_000 }).toBeLessThan(10);
    await screenshots(spectator.page, 'clocks-grid');
    await playMove(alice);
    await screenshots(alice.page, 'clocks-play');
    // the lesson says why: her clock on a board runs while she is at the other tables
    await expect.poll(() => spectator.page.getByTestId('lesson-clocks').textContent()).toMatch(/also while she is at the other tables/);
  });

  it('Bob does not move: his flag falls and the game is lost on time everywhere', async () => {
    await expect.poll(() => bob.page.getByTestId('result').textContent(), { timeout: 20_000 }).toMatch(/Bob|You/);
    expect(await bob.page.getByTestId('result').textContent()).toMatch(/lost on time: the flag fell/);
    expect(await bob.page.getByTestId('clock-opponent').textContent()).toBe('0:00');
    // nothing is left to play: the Move field, Offer draw and Resign are gone
    for (const id of ['move-input', 'offer-draw', 'resign']) await expect.poll(() => bob.page.getByTestId(id).isVisible()).toBe(false);
    await expect.poll(() => spectator.page.locator('.cell[data-table="2"]').getAttribute('data-result')).toBe('1-0');
    await screenshots(bob.page, 'clocks-flag');
  });

  it('Alice plays on, then resigns; the spectator replays her game with the arrow keys', async () => {
    await playMove(alice);
    await playMove(alice);
    await alice.page.getByTestId('resign').click();
    await alice.page.getByTestId('resign-confirm').click();
    await expect.poll(() => alice.page.getByTestId('result').textContent()).toMatch(/You resigned/);
    const total = await ply(alice.page);

    const page = spectator.page;
    await page.locator('.cell[data-table="1"]').click();
    const at = page.getByTestId('replay-at');
    await expect.poll(() => at.textContent()).toBe(`move ${total} of ${total}`);
    const focus = page.getByTestId('focus-board');
    const finalFen = await focus.getAttribute('data-fen');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => at.textContent()).toBe(`move ${total - 1} of ${total}`);
    expect(await focus.getAttribute('data-fen')).not.toBe(finalFen);
    await page.keyboard.press('Home');
    await expect.poll(() => at.textContent()).toBe(`move 0 of ${total}`);
    expect(await focus.getAttribute('data-fen')).toBe(new Chess().fen());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => at.textContent()).toBe(`move 2 of ${total}`);
    await expect.poll(() => page.locator('.moves .move.shown').getAttribute('data-ply')).toBe('2');
    await screenshots(page, 'replay-spectator');
    await page.getByTestId('replay-last').click();
    await expect.poll(() => focus.getAttribute('data-fen')).toBe(finalFen);
  });

  it('the player replays their own game after the end', async () => {
    const page = bob.page;
    await expect.poll(() => page.getByTestId('replay-at').textContent()).toBe('move 1 of 1');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('replay-at').textContent()).toBe('move 0 of 1');
    await page.getByTestId('replay-next').click();
    await expect.poll(() => page.getByTestId('replay-at').textContent()).toBe('move 1 of 1');
    for (const tab of [host, alice, bob, spectator]) expect(tab.errors).toEqual([]);
  });
});
