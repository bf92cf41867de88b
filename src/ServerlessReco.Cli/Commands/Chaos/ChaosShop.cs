using System.Globalization;
using System.Text;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// The shop <c>reco chaos</c> writes: shoppers who each keep to one category (so a trained model beats popularity and
/// a retrain has something to publish), and events in small batches of three kinds: with an <c>eventId</c>, with a
/// <c>timestamp</c> only, and with neither (the server derives ids from the body and position). Every event carries a
/// serial number in its properties, the key by which the check finds each one in the store exactly once.
/// </summary>
internal sealed class ChaosShop(int shoppers, int itemsPerCategory, int seed)
{
    public const int Categories = 4;
    public const string SerialProperty = "chaosSerial";

    private readonly Random _random = new(seed);
    private int _serial;

    public string RunId { get; } = $"{DateTime.UtcNow:HHmmss}{seed}";

    public string Shopper(int index) => $"chaos-{RunId}-shopper-{index}";

    public string Item(int category, int index) => $"chaos-item-{category}-{index}";

    public IEnumerable<string> ShopperIds => Enumerable.Range(0, shoppers).Select(Shopper);

    /// <summary>The catalogue as <c>PUT /api/items</c> bodies of at most 100 items.</summary>
    public IEnumerable<string> CatalogueBodies()
    {
        var items = Enumerable.Range(0, Categories).SelectMany(c => Enumerable.Range(0, itemsPerCategory).Select(i =>
            $$"""{"itemId":"{{Item(c, i)}}","title":"Chaos item {{c}}-{{i}}","category":"category-{{c}}"}"""));
        return items.Chunk(100).Select(chunk => "[" + string.Join(',', chunk) + "]");
    }

    /// <summary>One batch of <paramref name="size"/> events of one shopper, and the serial numbers it carries.</summary>
    public (string Body, IReadOnlyList<int> Serials) Batch(int shopper, int size, DateTimeOffset now)
    {
        var kind = _serial % 3;
        var serials = new List<int>(size);
        var json = new StringBuilder("[");
        for (var i = 0; i < size; i++)
        {
            var serial = _serial++;
            serials.Add(serial);
            var category = shopper % Categories;
            var item = Item(category, _random.Next(itemsPerCategory));
            var type = _random.NextDouble() < 0.3 ? "purchase" : "view";
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"userId":"{{Shopper(shopper)}}","itemId":"{{item}}","type":"{{type}}","properties":{"{{SerialProperty}}":"{{serial}}"}""");
            if (kind == 0)
            {
                json.Append(string.Create(CultureInfo.InvariantCulture, $",\"eventId\":\"chaos-{RunId}-{serial}\""));
            }
            else if (kind == 1)
            {
                var at = now.AddSeconds(-_random.Next(1, 86_400 * 3)).ToUniversalTime();
                json.Append(string.Create(CultureInfo.InvariantCulture, $",\"timestamp\":\"{at:yyyy-MM-ddTHH:mm:ss.fff}Z\""));
            }

            json.Append('}');
        }

        return (json.Append(']').ToString(), serials);
    }
}
