from django.core.management.base import BaseCommand, CommandError

from bench.generate import generate, load_dataset


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic briefs (deterministic for a seed), or load the reference "
        "data set with --dataset FILE. Uses bulk inserts: meant for benchmarks and load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--briefs", type=int, default=1000, help="How many briefs to generate.")
        parser.add_argument("--terms", type=int, default=None, help="Glossary terms (default: briefs / 10).")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same content.")
        parser.add_argument(
            "--published-ratio", type=float, default=0.85, help="Share of briefs that are published."
        )
        parser.add_argument("--dataset", help="Load this reference JSON file instead of generating.")

    def handle(self, *args, briefs, terms, seed, published_ratio, dataset, verbosity, **options):
        stream = self.stderr._out if verbosity > 0 else None
        try:
            if dataset:
                result = load_dataset(dataset, progress_stream=stream)
            else:
                if briefs < 1 or not 0 <= published_ratio <= 1:
                    raise CommandError("--briefs must be positive and --published-ratio between 0 and 1.")
                result = generate(
                    briefs=briefs,
                    terms=terms if terms is not None else max(50, briefs // 10),
                    seed=seed,
                    published_ratio=published_ratio,
                    progress_stream=stream,
                )
        except (ValueError, OSError, KeyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.briefs:,} briefs ({result.published:,} published), {result.terms:,} terms, "
            f"{result.tags:,} tags in {result.seconds:.1f} s "
            f"(of which the search index refresh {result.index_seconds:.1f} s)."
        )
