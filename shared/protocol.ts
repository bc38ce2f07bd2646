/**
 * The wire: socket.io's typed events, `noun:verb` names. Every client message carries a payload
 * validated by the schema of the same name in schemas.ts and is answered through an ack.
 */
import type { ChatMessage, ChatSettings } from './chat.js';
import type { ExhibitionConfig } from './config.js';
import type {
  BoardSummary,
  Color,
  ExhibitionStats,
  ExhibitionStatus,
  ExhibitionSummary,
  JuditWhereabouts,
  MoveRecord,
} from './domain.js';
import type { Result } from './errors.js';
import type {
  BoardRef,
  ChatSend,
  ExhibitionRef,
  HostChatDelete,
  HostChatMode,
  HostCandidate,
  HostChatMute,
  HostCommand,
  HostConfigure,
  HostKick,
  HostKickMany,
  LobbyWatch,
  MovePlay,
  SeatClaim,
  SeatCommand,
  SeatTake,
} from './schemas.js';

export type Ack<T extends object = {}> = (result: Result<T>) => void;

/** One board in full: for the board a player plays on or a spectator opens. */
export interface BoardDetail extends BoardSummary {
  startFen: string;
  moves: MoveRecord[];
}

/** A seat as the host sees it. */
export interface SeatInfo {
  table: number;
  opponent: string;
  connected: boolean;
}

/** Everything public about one exhibition, at one moment. */
export interface ExhibitionSnapshot {
  id: string;
  config: ExhibitionConfig;
  status: ExhibitionStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** When a paused exhibition was paused: its clocks stand at that moment. */
  pausedAt: number | null;
  boards: BoardSummary[];
  /** Every giver's whereabouts, Judit's first. */
  givers: JuditWhereabouts[];
  stats: ExhibitionStats;
  spectators: number;
  /** The server's clock when the snapshot was taken, so clients can run timers against it. */
  serverNow: number;
}

/** Every board's moves with their times: the material of the timeline. */
export interface Timeline {
  id: string;
  startedAt: number | null;
  serverNow: number;
  lanes: { table: number; opponent: string; moves: MoveRecord[] }[];
}

export interface SeatGranted {
  table: number;
  token: string;
  board: BoardDetail;
  snapshot: ExhibitionSnapshot;
}

export interface ClientToServerEvents {
  /** Join an exhibition's room as a spectator: the snapshot, then every change. */
  'exhibition:watch': (payload: ExhibitionRef, ack: Ack<{ snapshot: ExhibitionSnapshot }>) => void;
  'exhibition:unwatch': (payload: ExhibitionRef, ack: Ack) => void;
  /** Follow the lobby: a page of summaries (the next one with `cursor`), then every change. */
  'lobby:watch': (payload: LobbyWatch, ack: Ack<LobbyPage>) => void;
  /** The full move list of one board, and its moves as they come. */
  'board:open': (payload: BoardRef, ack: Ack<{ board: BoardDetail }>) => void;
  'board:close': (payload: BoardRef, ack: Ack) => void;
  /** Every board's moves so far, then every move of every board as it comes ('board:move'). */
  'timeline:watch': (payload: ExhibitionRef, ack: Ack<{ timeline: Timeline }>) => void;

  'seat:take': (payload: SeatTake, ack: Ack<SeatGranted>) => void;
  /** Reclaim a seat with its token after a refresh or a dropped connection. */
  'seat:claim': (payload: SeatClaim, ack: Ack<SeatGranted>) => void;
  'move:play': (payload: MovePlay, ack: Ack<{ move: MoveRecord; duplicate: boolean }>) => void;
  'game:resign': (payload: SeatCommand, ack: Ack) => void;
  'game:offerDraw': (payload: SeatCommand, ack: Ack) => void;

  /** The host console: the snapshot plus the seat list, then seat changes as they come. */
  'host:watch': (payload: HostCommand, ack: Ack<{ snapshot: ExhibitionSnapshot; seats: SeatInfo[] }>) => void;
  'host:start': (payload: HostCommand, ack: Ack) => void;
  'host:pause': (payload: HostCommand, ack: Ack) => void;
  'host:resume': (payload: HostCommand, ack: Ack) => void;
  'host:end': (payload: HostCommand, ack: Ack) => void;
  'host:kick': (payload: HostKick, ack: Ack) => void;
  /** Frees (before the start) or forfeits (during play) several seats at once. */
  'host:kickMany': (payload: HostKickMany, ack: Ack<{ removed: number[] }>) => void;
  'host:configure': (payload: HostConfigure, ack: Ack<{ config: ExhibitionConfig }>) => void;

  /** Ask the host for a seat; the answer comes as 'candidate:answer' to this connection. */
  'seat:request': (payload: SeatTake, ack: Ack<{ candidate: string }>) => void;
  /** The visitors waiting for the host's answer, then every change ('host:candidates'). */
  'host:candidates': (payload: HostCommand, ack: Ack<{ candidates: CandidateInfo[] }>) => void;
  'host:accept': (payload: HostCandidate, ack: Ack<{ table: number }>) => void;
  'host:decline': (payload: HostCandidate, ack: Ack) => void;

  /** Open the exhibition's chat: its last messages and settings, then every change. */
  'chat:watch': (payload: ExhibitionRef, ack: Ack<ChatState>) => void;
  'chat:send': (payload: ChatSend, ack: Ack<{ message: ChatMessage }>) => void;
  'host:chatDelete': (payload: HostChatDelete, ack: Ack) => void;
  'host:chatMute': (payload: HostChatMute, ack: Ack<{ settings: ChatSettings }>) => void;
  /** Turn the chat off, or let players only or everyone write. */
  'host:chatMode': (payload: HostChatMode, ack: Ack<{ settings: ChatSettings }>) => void;
}

/** A visitor waiting for the host's answer, as the host sees them. */
export interface CandidateInfo {
  candidate: string;
  name: string;
  color: Color | null;
  at: number;
}

export interface ChatState {
  messages: ChatMessage[];
  settings: ChatSettings;
}

/** Every broadcast names its exhibition, so one client may follow several. */
export interface ServerToClientEvents {
  'exhibition:status': (msg: { id: string; status: ExhibitionStatus; at: number }) => void;
  'exhibition:config': (msg: { id: string; config: ExhibitionConfig }) => void;
  /** A board changed (a move, a draw offer, an ending, a seat): its compact projection. */
  'board:update': (msg: { id: string; board: BoardSummary; sentAt: number }) => void;
  /** A seat was taken or freed before the start. */
  'seat:update': (msg: { id: string; table: number; opponent: string | null; juditColor: Color | null }) => void;
  /** To those who opened the board or follow the timeline: the move itself, with its times. */
  'board:move': (msg: { id: string; table: number; move: MoveRecord }) => void;
  /** Where one giver is now (0 is Judit). */
  'judit:update': (msg: { id: string; giver: number; judit: JuditWhereabouts }) => void;
  'exhibition:stats': (msg: { id: string; stats: ExhibitionStats }) => void;
  'exhibition:spectators': (msg: { id: string; count: number }) => void;
  /** Judit declined a draw offer at this board. */
  'draw:declined': (msg: { id: string; table: number }) => void;
  /** To the host console: who is connected. */
  'host:seats': (msg: { id: string; seats: SeatInfo[] }) => void;
  'lobby:update': (msg: { exhibition: ExhibitionSummary }) => void;
  /** To the host console: who waits for an answer. */
  'host:candidates': (msg: { id: string; candidates: CandidateInfo[] }) => void;
  /** To a visitor who asked: the host's answer, with the seat's token when accepted (claim it with 'seat:claim'). */
  'candidate:answer': (msg: { id: string; candidate: string } & ({ accepted: true; token: string } | { accepted: false })) => void;
  /** To those who opened the chat. */
  'chat:message': (msg: { id: string; message: ChatMessage }) => void;
  'chat:deleted': (msg: { id: string; message: number }) => void;
  'chat:settings': (msg: { id: string; settings: ChatSettings }) => void;
}

/** At most a page of the lobby; `cursor` (null on the last page) asks for the next one. */
export interface LobbyPage {
  exhibitions: ExhibitionSummary[];
  cursor: string | null;
}

/** REST answer to POST /api/exhibitions. */
export interface CreatedExhibition {
  id: string;
  hostKey: string;
  snapshot: ExhibitionSnapshot;
}
