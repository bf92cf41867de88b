using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Lab.Samples;

/// <summary>Which items shoppers look at: Zipf-like popularity, overall and within each category.</summary>
internal sealed class Popularity
{
    private readonly List<CatalogItem> _catalogue;
    private readonly Picker _overall;
    private readonly int[][] _byCategory;
    private readonly Picker[] _withinCategory;

    public Popularity(Random random, List<CatalogItem> catalogue)
    {
        _catalogue = catalogue;

        // A random order of the catalogue is its popularity ranking; weight 1/rank.
        var rank = Enumerable.Range(0, catalogue.Count).OrderBy(_ => random.Next()).ToArray();
        var weights = new double[catalogue.Count];
        for (var position = 0; position < rank.Length; position++)
        {
            var item = catalogue[rank[position]];

            // Unavailable items were sold out or withdrawn a while ago: little traffic left.
            weights[rank[position]] = (1.0 / (position + 1)) * (item.Available ? 1 : 0.1);
        }

        _overall = new Picker(weights);
        _byCategory = SampleCategories.All
            .Select(c => Enumerable.Range(0, catalogue.Count).Where(i => catalogue[i].Category == c.Name).ToArray())
            .ToArray();
        _withinCategory = _byCategory.Select(members => new Picker(members.Select(i => weights[i]).ToArray())).ToArray();
    }

    /// <summary>An item the shopper looks at, at <paramref name="at"/> (never one not yet in the catalogue then).</summary>
    public CatalogItem Pick(Random random, SampleShopper shopper, DateTimeOffset at)
    {
        for (var attempt = 0; ; attempt++)
        {
            int index;
            if (random.NextDouble() < SampleShop.FromFavouriteCategory)
            {
                var category = shopper.Favourites[shopper.FavouritePicker.Pick(random)];
                var members = _byCategory[category];
                index = members.Length == 0 ? _overall.Pick(random) : members[_withinCategory[category].Pick(random)];
            }
            else
            {
                index = _overall.Pick(random);
            }

            var item = _catalogue[index];
            if (item.CreatedAt <= at || attempt >= 20)
            {
                return item.CreatedAt <= at ? item : OldestItem();
            }
        }
    }

    private CatalogItem OldestItem() => _catalogue.MinBy(i => i.CreatedAt)!;
}

/// <summary>Picks an index with probability proportional to its weight.</summary>
internal sealed class Picker
{
    private readonly double[] _cumulative;

    public Picker(double[] weights)
    {
        _cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            _cumulative[i] = sum;
        }
    }

    public int Pick(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index < 0 ? ~index : index + 1, _cumulative.Length - 1);
    }
}
