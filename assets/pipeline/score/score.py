"""Score a CSV of feature rows with the linear model shipped beside this file, in batches of --batch_size.

Standard library only, so the job runs on any Python environment without an image build.
"""

import argparse
import csv
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input_data", required=True, help="a CSV file, or a folder of them")
    parser.add_argument("--batch_size", type=int, default=50)
    parser.add_argument("--scored", required=True, help="folder to write scored.csv into")
    args = parser.parse_args()
    model = json.loads((Path(__file__).parent / "model.json").read_text())
    source = Path(args.input_data)
    files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
    rows = [row for path in files for row in csv.DictReader(path.open(newline=""))]
    out_dir = Path(args.scored)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "scored.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "score"])
        for start in range(0, len(rows), args.batch_size):
            batch = rows[start : start + args.batch_size]
            for row in batch:
                score = model["bias"] + sum(weight * float(row[name]) for name, weight in model["weights"].items())
                writer.writerow([row["id"], round(score, 6)])
            print(f"scored rows {start + 1}-{start + len(batch)} of {len(rows)}")


if __name__ == "__main__":
    main()
