"""Loads MAPD Curator export folders with Hugging Face `datasets`, as a user would.

Usage: python load_export.py FOLDER [FOLDER ...]

For each folder: every config its dataset card (README.md) names, by `load_dataset(FOLDER, config)`,
then again in 4 KiB chunks (as any file over the loader's 10 MiB default chunk is read: a column
whose first chunk is all null or all whole numbers must still load as declared); each data file
also as plain JSON with the card's features (`load_dataset("json", data_files=…, features=…)`, the
documented way to read one file alone); then, when two folders are given, each config of both
concatenated (two exports, differently filled, have one schema). Prints one JSON object: per folder and
config the row count and the features; exits non-zero with the loader's own error otherwise.
"""
import json
import sys
import tempfile

import datasets
import yaml

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()


def card_configs(folder):
    text = open(f"{folder}/README.md", encoding="utf-8").read()
    _, front, _ = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    return [(c["config_name"], c["data_files"][0]["path"]) for c in meta["configs"]]


def main(folders):
    # A fresh cache per run: the loader's cache is keyed by folder name and config, and two
    # exports in folders of one name would otherwise read as the first.
    cache = tempfile.mkdtemp(prefix="mapd-datasets-")
    report = {"datasets": datasets.__version__, "folders": {}}
    loaded = {}
    for folder in folders:
        entry = {}
        for config, path in card_configs(folder):
            ds = datasets.load_dataset(folder, config, split="train", cache_dir=f"{cache}/{len(loaded)}-{len(entry)}")
            chunked = datasets.load_dataset(folder, config, split="train", chunksize=4096, cache_dir=f"{cache}/c{len(loaded)}-{len(entry)}")
            plain = datasets.load_dataset("json", data_files=f"{folder}/{path}", split="train", features=ds.features, cache_dir=f"{cache}/p{len(loaded)}-{len(entry)}")
            for other in (chunked, plain):
                if other.num_rows != ds.num_rows or other.features != ds.features:
                    raise SystemExit(f"{folder}/{path}: {other.num_rows} rows / {other.features} read otherwise, {ds.num_rows} / {ds.features} by config")
            entry[config] = {"rows": ds.num_rows, "features": ds.features.to_dict()}
            loaded.setdefault(config, []).append(ds)
        report["folders"][folder] = entry
    if len(folders) > 1:
        report["combined"] = {}
        for config, parts in loaded.items():
            if len(parts) == len(folders):
                combined = datasets.concatenate_datasets(parts)
                report["combined"][config] = combined.num_rows
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
