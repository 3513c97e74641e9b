// The quantization maps of int8 optimizer state (assembly/optim/lowbit.ts) and the tables its kernels search
// them with, laid out in engine memory as the kernels read them: per map (signed, then unsigned), the 256 float32
// entries ascending, their 256 upper midpoints, and the bucket table.
//
// The maps are bitsandbytes' dynamic quantization maps, create_dynamic_map(signed) with 7 exponent bits
// (bitsandbytes/functional.py): for exponent level i = 0..6, the midpoints of linspace(0.1, 1) scaled by 10^(i−6)
// (2^i of them, and their negatives, when signed; 2^(i+1) unsigned), then 0 and 1. They are stored here as the
// float32 bits that bitsandbytes' float32 torch arithmetic gives (scripts/reference/qmap.py prints them;
// test/optim-lowbit.test.ts checks them against its output, test/data/optim/qmap.json).
import type { Engine } from "../engine/engine.js";
import { WASM_CONSTANTS } from "../kernels/kernels.js";
import type { U8Slice } from "../engine/views.js";

const { QMAP_CODE, QMAP_MID, QMAP_BUCKETS, QMAP_BUCKET_LOW, QMAP_BUCKET_COUNT, QMAP_BYTES } = WASM_CONSTANTS;

const SIGNED_BITS =
  "bf7e3333bf7a9999bf770000bf736666bf6fccccbf6c3333bf68999abf650000bf616666bf5dccccbf5a3333bf569999" +
  "bf530000bf4f6666bf4bccccbf483333bf44999abf410000bf3d6667bf39cccdbf363334bf32999abf2f0000bf2b6667" +
  "bf27cccdbf243333bf20999abf1d0000bf196666bf15cccdbf123334bf0e999abf0b0000bf076666bf03cccdbf003333" +
  "bef93334bef20000beeaccccbee3999abedc6666bed53332bece0000bec6ccccbebf999abeb86666beb13332beaa0000" +
  "bea2ccccbe9b999abe946666be8d3334be860000be7d999abe6f3334be60cccdbe526666be440000be359999be273333" +
  "be18cccdbe0a6666bdf80000bddb3334bdc9eb85bdc428f5bdbe6667bdb8a3d7bdb2e148bdad1eb8bda75c28bda1999a" +
  "bd9bd70abd96147bbd9051ebbd8a8f5dbd84cccdbd7e147abd728f5dbd670a3dbd5b851fbd500000bd447ae1bd38f5c3" +
  "bd2d70a3bd21eb85bd166667bd0ae147bcfeb852bce7ae13bcd0a3d7bcb9999abca28f5cbc8b851fbc68f5c3bc3ae148" +
  "bc1f3b64bc160418bc0ccccdbc039581bbf4bc6abbe24dd3bbcfdf3bbbbd70a4bbab020dbb989374bb8624ddbb676c8a" +
  "bb428f5cbb1db22dbaf1a9fcbaa7ef9dba7765ffba59e83eba3c6a80ba1eecc1ba016f01b9c7e283b98ce705b923d70b" +
  "b8ba1f4bb88aefb3b8378034b7b24206b70205ffb65a1a94b513a3b7000000003513a3b7365a1a94370205ff37b24206" +
  "38378034388aefb338ba1f4b3923d70b398ce70539c7e2833a016f013a1eecc13a3c6a803a59e83e3a7765ff3aa7ef9d" +
  "3af1a9fc3b1db22d3b428f5c3b676c8a3b8624dd3b9893743bab020d3bbd70a43bcfdf3b3be24dd33bf4bc6a3c039581" +
  "3c0ccccd3c1604183c1f3b643c3ae1483c68f5c33c8b851f3ca28f5c3cb9999a3cd0a3d73ce7ae133cfeb8523d0ae147" +
  "3d1666673d21eb853d2d70a33d38f5c33d447ae13d5000003d5b851f3d670a3d3d728f5d3d7e147a3d84cccd3d8a8f5d" +
  "3d9051eb3d96147b3d9bd70a3da1999a3da75c283dad1eb83db2e1483db8a3d73dbe66673dc428f53dc9eb853ddb3334" +
  "3df800003e0a66663e18cccd3e2733333e3599993e4400003e5266663e60cccd3e6f33343e7d999a3e8600003e8d3334" +
  "3e9466663e9b999a3ea2cccc3eaa00003eb133323eb866663ebf999a3ec6cccc3ece00003ed533323edc66663ee3999a" +
  "3eeacccc3ef200003ef933343f0033333f03cccd3f0766663f0b00003f0e999a3f1233343f15cccd3f1966663f1d0000" +
  "3f20999a3f2433333f27cccd3f2b66673f2f00003f32999a3f3633343f39cccd3f3d66673f4100003f44999a3f483333" +
  "3f4bcccc3f4f66663f5300003f5699993f5a33333f5dcccc3f6166663f6500003f68999a3f6c33333f6fcccc3f736666" +
  "3f7700003f7a99993f7e33333f800000";
const UNSIGNED_BITS =
  "0000000034ae7baa35500998360e9b383692ccf636de4c513714e5d53783126e37e171a0381fe868384f1800387e479a" +
  "3896bb9938ae536438c5eb313906594b394154ca397c5048399ba5e439b923a239d6a16239f41f223a08ce713a178d50" +
  "3a264c303a350b103a43c9ef3a5288d03a6147af3a70068e3a7ec56e3a9581063aba5e353adf3b643b020c493b147ae1" +
  "3b26e9783b39580f3b4bc6a73b5e353e3b70a3d73b8189373b8ac0823b93f7cf3b9d2f1a3ba666663baf9db23bb8d4fd" +
  "3bc20c4a3bcb43943bd47ae13bddb22e3be6e9783bf020c53bf9580f3c0147ae3c05e3533c0a7ef93c0f1aa03c13b645" +
  "3c1851eb3c1ced903c2189373c2f5c2a3c4666673c5d70a33c747ae23c85c28f3c9147ae3c9ccccd3ca851eb3cb3d70b" +
  "3cbf5c2a3ccae1483cd666673ce1eb873ced70a33cf8f5c33d023d703d0800003d0dc28f3d13851f3d1947af3d1f0a3d" +
  "3d24cccd3d2a8f5b3d3051eb3d36147b3d3bd70a3d41999a3d475c2a3d4d1eb83d52e1483d58a3d73d5e66673d6428f7" +
  "3d69eb873d6fae153d7570a33d7b33333d807ae23d835c293d863d713d891eb93d8c00003d8ee1483d91c2903d94a3d7" +
  "3d97851f3d9a66673d9d47af3da028f63da30a3d3da5eb853da8cccd3dabae143dae8f5c3db170a33db451eb3db73333" +
  "3dba147b3dbcf5c33dbfd70a3dc2b8523dc5999a3dc87ae13dcb5c293dd400003de266663df0cccd3dff33333e06cccc" +
  "3e0e00003e1533343e1c66663e23999a3e2acccc3e3200003e3933343e4066663e47999a3e4ecccc3e5600003e5d3334" +
  "3e6466663e6b999a3e72ccce3e7a00003e80999a3e8433333e87cccd3e8b66673e8f00003e92999a3e9633343e99cccd" +
  "3e9d66673ea100003ea4999a3ea833333eabcccc3eaf66663eb300003eb699993eba33333ebdcccc3ec166663ec50000" +
  "3ec8999a3ecc33333ecfcccc3ed366663ed700003eda99993ede33333ee1cccd3ee566663ee900003eec999a3ef03333" +
  "3ef3cccd3ef766663efb00003efe99993f01199a3f02e6663f04b3323f0680003f084ccc3f0a199a3f0be6663f0db334" +
  "3f0f80003f114ccd3f13199a3f14e6663f16b3343f1880003f1a4ccd3f1c199a3f1de6663f1fb3333f2180003f234ccc" +
  "3f25199a3f26e6663f28b3343f2a80003f2c4cce3f2e199a3f2fe6663f31b3343f3380003f354cce3f37199a3f38e666" +
  "3f3ab3343f3c80003f3e4ccc3f40199a3f41e6663f43b3343f4580003f474ccc3f49199a3f4ae6663f4cb3323f4e8000" +
  "3f504ccc3f52199a3f53e6663f55b3343f5780003f594ccd3f5b199a3f5ce6663f5eb3343f6080003f624ccd3f64199a" +
  "3f65e6663f67b3333f6980003f6b4ccc3f6d199a3f6ee6663f70b3343f7280003f744cce3f76199a3f77e6663f79b334" +
  "3f7b80003f7d4cce3f7f199a3f800000";

/** A map's 256 entries from its hex float32 bits. */
function entries(hex: string): Float32Array {
  return new Float32Array(Uint32Array.from({ length: 256 }, (_, k) => parseInt(hex.slice(8 * k, 8 * k + 8), 16)).buffer);
}

/** bitsandbytes' signed dynamic map (first moments, momentum buffers) and unsigned one (second moments). */
export const DYNAMIC_MAP = entries(SIGNED_BITS);
export const UNSIGNED_DYNAMIC_MAP = entries(UNSIGNED_BITS);

/** The index of the entry nearest to x (ties to the even index): bitsandbytes' binary search, written plainly. */
export function nearestEntry(map: Float32Array, x: number): number {
  let k = 0;
  while (k < 255 && x > map[k]!) k++;
  if (k === 0) return 0;
  const mid = Math.fround(Math.fround(map[k - 1]! + map[k]!) * 0.5);
  if (x !== mid) return x > mid ? k : k - 1;
  return k % 2 === 0 ? k : k - 1;
}

/** The bytes of one map: entries, upper midpoints, and per bucket of |x| the nearest entry to its lowest value. */
function mapBytes(map: Float32Array): Uint8Array {
  const bytes = new Uint8Array(QMAP_BYTES);
  new Float32Array(bytes.buffer, QMAP_CODE, 256).set(map);
  const mid = new Float32Array(bytes.buffer, QMAP_MID, 256);
  for (let k = 0; k < 255; k++) mid[k] = Math.fround(map[k]! + map[k + 1]!) * 0.5;
  mid[255] = Infinity;
  const bits = new Uint32Array(1), value = new Float32Array(bits.buffer);
  for (let b = 0; b < QMAP_BUCKET_COUNT; b++) {
    bits[0] = b === 0 ? 0 : (QMAP_BUCKET_LOW + b) << 15; // the lowest |x| of the bucket
    const k = nearestEntry(map, value[0]!);
    bits[0] = ((QMAP_BUCKET_LOW + b + 1) << 15) - 1; // the highest
    const top = nearestEntry(map, Math.min(value[0]!, 1));
    if (top > k + 1) throw new Error(`quantization map: bucket ${b} holds more than one midpoint`);
    bytes[QMAP_BUCKETS + b] = k;
  }
  return bytes;
}

let tables: Uint8Array | null = null;
const placed = new WeakMap<Engine, U8Slice>();

/** The signed and the unsigned map with their tables, in engine memory (what the int8 kernels' `qmap` points at);
 * placed once per engine. */
export function quantizationMaps(engine: Engine): U8Slice {
  let slice = placed.get(engine);
  if (slice) return slice;
  tables ??= Uint8Array.from([...mapBytes(DYNAMIC_MAP), ...mapBytes(UNSIGNED_DYNAMIC_MAP)]);
  slice = engine.allocU8(tables.length, "the int8 quantization maps");
  slice.array.set(tables);
  placed.set(engine, slice);
  return slice;
}
