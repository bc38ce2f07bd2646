/**
 * One exhibition, start to finish, as people play it: a host creates it from the form, two
 * opponents join by the invitation and drag their pieces, a spectator watches the grid, Judit
 * answers on both boards, a refresh keeps a seat, games end and every page says so.
 */
import { Chess } from 'chess.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { board, drag, myTurn, openTabs, pieceSquare, playMove, ply, screenshots, takeSeat, type Tab } from './harness.js';

const server = { url: inject('simulUrl') };
let browser: Browser;
let host: Tab;
let alice: Tab;
let bob: Tab;
let spectator: Tab;
let consoleUrl = '';
let inviteUrl = '';
let exhibitionId = '';

beforeAll(async () => {
  ({ browser, tabs: [host, alice, bob, spectator] } = await openTabs(4));
});

afterAll(async () => {
  await browser?.close();
});

describe('a simul in the browser', () => {
  it('the lobby invites to host', async () => {
    await spectator.page.goto(`${server.url}/`);
    await expect.poll(() => spectator.page.getByText('No exhibition is taking seats right now.').isVisible()).toBe(true);
    await screenshots(spectator.page, 'lobby-empty');
  });

  it('a host creates an exhibition from the form, with inline errors first', async () => {
    const page = host.page;
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Host an exhibition' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/host`);

    // the shared schema speaks first: no board is not enough, strength has bounds
    await page.getByLabel('Boards').fill('0');
    await page.getByLabel('Strength (Elo)').fill('5000');
    await expect.poll(() => page.locator('[data-field=boards] .field-error').textContent()).toBe('At least 1.');
    await expect.poll(() => page.locator('[data-field=elo] .field-error').textContent()).toBe('At most 3190.');
    await screenshots(page, 'host-form-errors');

    await page.getByLabel('Name').fill('Sunday simul');
    await page.getByLabel('Boards').fill('2');
    await page.getByLabel('Strength (Elo)').fill('2400');
    await page.getByLabel('Think time per move').fill('0.2');
    await page.getByLabel('Never resigns').check(); // the fast brain counts material: keep her at the board
    await expect.poll(() => page.locator('.field-error:visible').count()).toBe(0);
    await screenshots(page, 'host-form');
    await page.getByRole('button', { name: 'Create exhibition' }).click();

    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/x\/[^/]+\/host#key=/);
    consoleUrl = page.url();
    exhibitionId = /\/x\/([^/]+)\/host/.exec(consoleUrl)![1];
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Open');
    inviteUrl = (await page.getByTestId('invite-link').inputValue()) ?? '';
    expect(inviteUrl).toBe(`${server.url}/x/${exhibitionId}/play`);
    await expect.poll(() => page.getByText('No one yet — share the invitation.').isVisible()).toBe(true);
  });

  it('two opponents join by the invitation link; a taken name is refused where it was typed', async () => {
    await alice.page.goto(inviteUrl);
    await screenshots(alice.page, 'play-join');
    await takeSeat(alice, inviteUrl, 'Alice');

    await bob.page.goto(inviteUrl);
    await bob.page.getByLabel('Your name').fill('alice');
    await bob.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => bob.page.locator('#name-error').textContent()).toBe('Someone called alice already has a seat.');
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => bob.page.getByTestId('you').textContent()).toBe('Bob');

    // Judit plays white: each player sits behind the black pieces, waiting for the start
    expect(await board(alice.page).getAttribute('data-orientation')).toBe('black');
    await expect.poll(() => alice.page.getByTestId('whereabouts').textContent()).toMatch(/Judit starts at your table/);
    await expect.poll(() => bob.page.getByTestId('whereabouts').textContent()).toMatch(/Judit starts at table 1/);
    await screenshots(bob.page, 'play-waiting');

    // the host sees both seats, connected
    await expect.poll(() => host.page.locator('.seat-table tr[data-connected=true]').count()).toBe(2);
  });

  it('the lobby lists it live, and a spectator finds both boards', async () => {
    await spectator.page.goto(`${server.url}/`);
    const card = spectator.page.locator(`[data-id="${exhibitionId}"]`);
    await expect.poll(() => card.textContent()).toMatch(/All 2 seats taken/);
    await screenshots(spectator.page, 'lobby');
    await card.getByRole('link', { name: 'Watch' }).click();
    await expect.poll(() => spectator.page.url()).toBe(`${server.url}/x/${exhibitionId}`);
    await expect.poll(() => spectator.page.locator('.grid .cell').count()).toBe(2);
    // every value the grid shows for a board, as it changes: the test checks it saw each move
    await spectator.page.evaluate(() => {
      const seen: Record<string, number[]> = {};
      (window as unknown as { seenPlies: typeof seen }).seenPlies = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as HTMLElement;
          const table = el.dataset.table!;
          const p = Number(el.dataset.ply);
          const list = (seen[table] ??= []);
          if (list[list.length - 1] !== p) list.push(p);
        }
      }).observe(document.querySelector('.grid')!, { subtree: true, attributes: true, attributeFilter: ['data-ply'] });
    });
    await expect.poll(() => spectator.page.getByTestId('spectators').textContent()).toMatch(/spectator/);
    // the whole watch page runs over the spectators' feed: socket.io, opened for the lobby, closes
    await expect.poll(() => spectator.sockets(), { timeout: 10_000 }).toEqual(['/feed']);
  });

  it('the host starts; Judit answers on both boards and the tab title flags it', async () => {
    await host.page.getByTestId('start').click();
    await expect.poll(() => host.page.getByTestId('status').textContent()).toBe('Playing');
    await myTurn(alice.page, 1);
    await myTurn(bob.page, 1);
    await expect.poll(() => alice.page.title()).toMatch(/Your move/);
    await expect.poll(() => spectator.page.getByTestId('status').textContent()).toBe('Playing');
    await expect.poll(() => spectator.page.locator('.cell[data-table="1"]').getAttribute('data-ply')).toBe('1');
    await expect.poll(() => spectator.page.locator('.cell[data-table="2"]').getAttribute('data-ply')).toBe('1');
  });

  it('opponents drag their moves; the spectator grid shows each; Judit replies on both boards', async () => {
    // everything Bob's whereabouts panel says while the games go on
    await bob.page.evaluate(() => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      const panel = document.querySelector<HTMLElement>('.whereabouts')!;
      const note = () => said.push(`${panel.dataset.tone}|${panel.querySelector('.where-headline')!.textContent}`);
      new MutationObserver(note).observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    for (let round = 0; round < 3; round++) {
      await playMove(alice);
      await playMove(bob);
    }
    const a = await myTurn(alice.page, 7);
    const b = await myTurn(bob.page, 7);
    // Judit has just moved on both boards: the tab titles say so
    await expect.poll(() => alice.page.title()).toMatch(/Your move/);
    await expect.poll(() => bob.page.title()).toMatch(/Your move/);
    // the spectator's mini boards followed every move, one by one
    await expect.poll(() => spectator.page.locator('.cell[data-table="1"]').getAttribute('data-fen')).toBe(a);
    await expect.poll(() => spectator.page.locator('.cell[data-table="2"]').getAttribute('data-fen')).toBe(b);
    const seen = await spectator.page.evaluate(() => (window as unknown as { seenPlies: Record<string, number[]> }).seenPlies);
    const moves = (list: number[]) => list.filter((p, i) => p > 0 && p !== list[i - 1]);
    expect(moves(seen['1'])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(moves(seen['2'])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // the whereabouts line names tables as the issue describes it, and changes when she arrives
    await expect.poll(() => alice.page.getByTestId('whereabouts').textContent()).toMatch(/^Judit is/);
    const said = await bob.page.evaluate(() => (window as unknown as { said: string[] }).said);
    // no time before Bob has moved: she comes once he has, and waits at his table for it
    expect(said).toContain('away|Judit is at table 1. She comes to your table once you have moved.');
    expect(said).toContain('here|Judit is at your table, waiting for your move.');
    expect(said.some((s) => /— (yours is next|\d+ tables? before yours)/.test(s))).toBe(false);
    expect(said.some((s) => s === 'here|Judit is at your table, thinking…')).toBe(true);
    await screenshots(alice.page, 'play-game');
  });

  it('an illegal drag snaps back and the server is not asked', async () => {
    const page = alice.page;
    const fen = await myTurn(page);
    const sent = alice.sent('move:play');
    expect(await pieceSquare(page, 'piece.king.black')).toBe('e8');
    await drag(page, 'e8', 'e6'); // a king never goes two squares up the board
    await page.waitForTimeout(600);
    expect(await pieceSquare(page, 'piece.king.black')).toBe('e8');
    expect(await board(page).getAttribute('data-fen')).toBe(fen);
    expect(alice.sent('move:play')).toBe(sent);
    expect(await page.getByTestId('message').textContent()).not.toMatch(/not a legal move/);
    // the same board still takes a legal move, sent once
    await playMove(alice);
    expect(alice.sent('move:play')).toBe(sent + 1);
  });

  it('a spectator opens a board large with its moves, then follows Judit', async () => {
    const page = spectator.page;
    await page.locator('.cell[data-table="2"]').click();
    await expect.poll(() => page.url()).toBe(`${server.url}/x/${exhibitionId}?board=2`);
    await expect.poll(() => page.getByTestId('focus').isVisible()).toBe(true);
    const bobPly = await ply(bob.page);
    await expect.poll(() => page.locator('[data-testid=focus] .moves .move').count()).toBe(bobPly);
    await expect.poll(() => page.locator('[data-testid=focus-board]').getAttribute('data-fen')).toBe(await board(bob.page).getAttribute('data-fen'));
    await screenshots(page, 'watch-board');

    await page.evaluate(() => {
      const tables: string[] = [];
      (window as unknown as { focusTables: string[] }).focusTables = tables;
      const el = document.querySelector<HTMLElement>('[data-testid=focus-board]')!;
      new MutationObserver(() => tables.push(el.dataset.table ?? '')).observe(el, { attributes: true, attributeFilter: ['data-table'] });
    });
    await page.getByTestId('follow').click();
    await expect.poll(() => page.getByTestId('follow').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.url()).toBe(`${server.url}/x/${exhibitionId}?board=judit`);
    // Alice moves: Judit walks to table 1 to answer, and the large board goes with her
    await playMove(alice);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { focusTables: string[] }).focusTables.includes('1')), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => page.locator('.cell.here').count()).toBeLessThanOrEqual(1);
    await screenshots(page, 'watch-follow');
    // the back button goes back to table 2
    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${server.url}/x/${exhibitionId}?board=2`);
    await expect.poll(() => page.locator('[data-testid=focus-board]').getAttribute('data-table')).toBe('2');
    await page.goBack();
    await expect.poll(() => page.getByTestId('focus').isVisible()).toBe(false);
    await screenshots(page, 'watch');
  });

  it('a refresh keeps the seat, the board and its moves', async () => {
    const page = bob.page;
    const fen = await board(page).getAttribute('data-fen');
    const moves = await page.locator('.moves .move').count();
    await page.reload();
    await expect.poll(() => page.getByTestId('you').textContent()).toBe('Bob');
    expect(await page.locator('.page.play').getAttribute('data-table')).toBe('2');
    await expect.poll(() => board(page).getAttribute('data-fen')).toBe(fen);
    await expect.poll(() => page.locator('.moves .move').count()).toBe(moves);
    expect(bob.sent('seat:claim')).toBeGreaterThanOrEqual(1);
    // and the game goes on from there
    await playMove(bob);
  });

  it('says so while the connection is lost, and carries on after', async () => {
    const page = bob.page;
    await bob.context.setOffline(true);
    // on the board's page the news takes the place of Judit's whereabouts, above the board
    await expect.poll(() => page.getByTestId('whereabouts').textContent(), { timeout: 10_000 }).toBe('Connection lost — reconnecting…');
    await screenshots(page, 'play-reconnecting');
    await bob.context.setOffline(false);
    await expect.poll(() => page.getByTestId('whereabouts').textContent(), { timeout: 15_000 }).toMatch(/^Judit/);
    await playMove(bob);
    // elsewhere a banner says it
    await spectator.context.setOffline(true);
    await expect.poll(() => spectator.page.getByTestId('connection').textContent(), { timeout: 10_000 }).toMatch(/reconnecting/);
    expect(await spectator.page.getByTestId('connection').isVisible()).toBe(true);
    await spectator.context.setOffline(false);
    await expect.poll(() => spectator.page.getByTestId('connection').isVisible(), { timeout: 15_000 }).toBe(false);
  });

  it('the host console shows seats, tally and statistics', async () => {
    const page = host.page;
    await expect.poll(() => page.locator('[data-stat=moves]').textContent()).not.toBe('0');
    await expect.poll(() => page.locator('[data-stat=speedup]').textContent()).toMatch(/×$/);
    await screenshots(page, 'console');
  });

  it('a resignation ends a game, and the result shows everywhere', async () => {
    const page = bob.page;
    await page.getByTestId('resign').click();
    await page.getByTestId('resign-confirm').click();
    await expect.poll(() => page.getByTestId('result').textContent()).toMatch(/Judit won.*You resigned\./);
    await expect.poll(() => page.title()).toMatch(/Judit won/);
    const pgn = await page.getByTestId('pgn').getAttribute('href');
    const res = await fetch(`${server.url}${pgn}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/\[Result "1-0"\]/);
    await screenshots(page, 'play-over');

    await expect.poll(() => spectator.page.locator('.cell[data-table="2"]').getAttribute('data-result')).toBe('1-0');
    await expect.poll(() => spectator.page.locator('.cell[data-table="2"] .cell-status').textContent()).toBe('Judit wins');
    await expect.poll(() => spectator.page.getByTestId('tally').first().textContent()).toBe('+1 =0 −0');
    await expect.poll(() => host.page.getByTestId('tally').first().textContent()).toBe('+1 =0 −0');
    await expect.poll(() => host.page.locator('.seat-table tr[data-table="2"]').textContent()).toMatch(/Judit wins/);
    await expect.poll(() => alice.page.getByTestId('tally').textContent()).toBe('+1 =0 −0');
  });

  it('a draw offer is declined by Judit; then the last game ends and the exhibition is over', async () => {
    const page = alice.page;
    await myTurn(page);
    await page.getByTestId('offer-draw').click();
    await expect.poll(() => page.getByTestId('message').textContent()).toBe('Draw offered. Judit answers when she comes to your table.');
    await expect.poll(() => page.getByTestId('offer-draw').textContent()).toBe('Draw offered');
    // she answers when she is next at this table for her move: well before move 20, she declines
    await playMove(alice);
    await expect.poll(() => page.getByTestId('message').textContent(), { timeout: 10_000 }).toBe('Judit declined your draw offer. Play on!');
    await expect.poll(() => page.getByTestId('offer-draw').textContent()).toBe('Offer draw');

    await page.getByTestId('resign').click();
    await page.getByTestId('resign-confirm').click();
    await expect.poll(() => page.getByTestId('result').textContent()).toMatch(/You resigned/);
    await expect.poll(() => page.getByTestId('whereabouts').textContent()).toMatch(/The exhibition is over/);
    await expect.poll(() => host.page.getByTestId('status').textContent()).toBe('Finished');
    await expect.poll(() => spectator.page.getByTestId('status').textContent()).toBe('Finished');
    await expect.poll(() => spectator.page.getByTestId('tally').first().textContent()).toBe('+2 =0 −0');
    await screenshots(host.page, 'console-finished');
    await screenshots(spectator.page, 'watch-finished');

    await spectator.page.goto(`${server.url}/`);
    const card = spectator.page.locator(`[data-section=done] [data-id="${exhibitionId}"]`);
    await expect.poll(() => card.textContent()).toMatch(/Finished.*\+2 =0 −0/);
    await screenshots(spectator.page, 'lobby-finished');
  });

  it('unknown places and wrong keys say so in plain words', async () => {
    const page = spectator.page;
    await page.goto(`${server.url}/x/nope`);
    await expect.poll(() => page.getByRole('heading', { name: 'No such exhibition' }).isVisible()).toBe(true);
    await screenshots(page, 'not-found');
    await page.goto(`${server.url}/x/${exhibitionId}/host#key=${'x'.repeat(32)}`);
    await expect.poll(() => page.getByRole('heading', { name: 'That host key does not open this exhibition' }).isVisible()).toBe(true);
  });

  it('no page threw or logged an error', () => {
    expect([...host.errors, ...alice.errors, ...bob.errors, ...spectator.errors]).toEqual([]);
  });
});
