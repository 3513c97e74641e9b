// The UCI handwritten digits (scikit-learn's load_digits; CC BY 4.0), shipped inside the package: 1797 images of
// 8×8 pixels with values 0..16, labels 0..9 (about 180 per class). Pixels stay bytes and are scaled by 1/16 when
// gathered, so the model sees values in [0, 1].
import { Dataset } from "../dataset.js";
import { DIGITS_BASE64, DIGITS_SAMPLES } from "./digits.data.js";

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** All 1797 samples, shape [64] (reshape([1, 8, 8]) for convolutions), in the original order. */
export function digitsDataset(): Dataset {
  const bytes = decodeBase64(DIGITS_BASE64);
  return new Dataset({
    x: bytes.subarray(DIGITS_SAMPLES),
    shape: [64],
    labels: Int32Array.from(bytes.subarray(0, DIGITS_SAMPLES)),
    numClasses: 10,
    scale: 1 / 16,
    name: "digits",
  });
}

/** The fixed stratified 80/20 split (seed 0): 1438 training and 359 test samples, the same everywhere. */
export function loadDigits(): { train: Dataset; test: Dataset } {
  const [train, test] = digitsDataset().split(0.8, 0);
  return { train: train.derive({ name: "digits (train)" }), test: test.derive({ name: "digits (test)" }) };
}
