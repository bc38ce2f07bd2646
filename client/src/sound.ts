/** Move sounds made on the spot with WebAudio: a short wooden click, no files to load. */

let ctx: AudioContext | null = null;
let noise: AudioBuffer | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  ctx = new Ctor();
  // 60 ms of noise decaying fast: filtered, it sounds like a piece set down on wood
  const length = Math.floor(ctx.sampleRate * 0.06);
  noise = ctx.createBuffer(1, length, ctx.sampleRate);
  const data = noise.getChannelData(0);
  for (let i = 0; i < length; i++) data[i] = (Math.random() * 2 - 1) * Math.exp(-i / (length / 9));
  return ctx;
}

/** Browsers let a page make sound only after a gesture: the first click or key unlocks it. */
export function unlockSoundOnGesture(): void {
  const unlock = () => {
    const c = audio();
    if (c && c.state === 'suspended') void c.resume();
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

/** `loud` for Judit's moves (the one to notice), soft for one's own. */
export function playMoveSound(loud = true): void {
  const c = audio();
  if (!c || !noise || c.state !== 'running') return;
  const source = c.createBufferSource();
  source.buffer = noise;
  const filter = c.createBiquadFilter();
  filter.type = 'bandpass';
  filter.frequency.value = loud ? 1400 : 1900;
  filter.Q.value = 1.2;
  const gain = c.createGain();
  gain.gain.value = loud ? 0.9 : 0.4;
  source.connect(filter).connect(gain).connect(c.destination);
  source.start();
}
