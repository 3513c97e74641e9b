// Node-only: the text corpora of Debian packages, for character-level language models.
//
//   words      /usr/share/dict/words (package wamerican): one English word per line
//   fortunes   /usr/share/games/fortunes/{fortunes, literature, riddles} (package fortunes-min): short texts
//              separated by lines holding '%', joined here by blank lines
import { DataError } from "../errors.js";
import { readRegularFile } from "./file.js";
import { MAX_TEXT_BYTES } from "./read.js";

export const WORDS_FILE = "/usr/share/dict/words";
export const FORTUNES_DIR = "/usr/share/games/fortunes";
export const FORTUNES_FILES = ["fortunes", "literature", "riddles"] as const;

/** Reads a text file of a Debian package: a missing file is a DataError naming the package to install. */
async function packageText(path: string, debianPackage: string): Promise<string> {
  try {
    return new TextDecoder("utf-8", { fatal: false }).decode(await readRegularFile(path, "text file", MAX_TEXT_BYTES));
  } catch (e) {
    if (e instanceof DataError && /no such file/.test(e.message)) {
      throw new DataError(path, `no such file: Debian's ${debianPackage} package provides it (apt-get install ${debianPackage})`, { cause: e });
    }
    throw e;
  }
}

/** The word list, one word per line ('\n'-terminated). */
export async function readWords(path = WORDS_FILE): Promise<string> {
  return packageText(path, "wamerican");
}

/** The fortunes of fortunes-min, separated by blank lines. */
export async function readFortunes(dir = FORTUNES_DIR): Promise<string> {
  const texts = [];
  for (const file of FORTUNES_FILES) texts.push(await packageText(`${dir}/${file}`, "fortunes-min"));
  return texts.join("\n").replace(/^%\n/gm, "\n");
}
