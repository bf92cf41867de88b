using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessReco.Functions.Tests.Serving;

/// <summary>The local host with the content model on (the default; the real all-MiniLM-L6-v2 embeds at the retrain).</summary>
public sealed class ContentLocalHostFixture() : LocalHostFixture(["--Reco:ContentModel=true"]);

/// <summary>
/// Content serving over HTTP, as a shop would see it: items with descriptions, two of them never interacted with, events
/// of two tastes, a retrain through the admin API, then a shopper's list and an unknown item's similar items. Only the
/// content model can place the never-bought items, and it must place them by what their text says.
/// </summary>
public sealed class ContentServingLocalHostTests(ContentLocalHostFixture host) : IClassFixture<ContentLocalHostFixture>
{
    private static readonly (string Id, string Title, string Category, string Description)[] Space =
    [
        ("s0", "Stargazer's Atlas", "space", "A guide to the constellations, planets and galaxies of the night sky."),
        ("s1", "Moon Landing History", "space", "The story of the Apollo astronauts and the rockets that flew them to the Moon."),
        ("s2", "Mars Rover Model Kit", "space", "Build a model of the robotic rover exploring the surface of Mars."),
        ("s3", "Solar System Poster", "space", "A wall poster of the Sun and the eight planets in their orbits."),
        ("s4", "Astronaut Memoir", "space", "An astronaut recalls life aboard the International Space Station."),
        ("s5", "Rocket Science Primer", "space", "How rockets, orbits and spacecraft propulsion work, explained simply."),
    ];

    private static readonly (string Id, string Title, string Category, string Description)[] Kitchen =
    [
        ("k0", "Sourdough Baking", "kitchen", "Recipes for baking crusty sourdough bread and pastries at home."),
        ("k1", "Chef's Knife", "kitchen", "A sharp stainless steel knife for chopping vegetables and slicing meat."),
        ("k2", "Pasta Cookbook", "kitchen", "Italian recipes for fresh pasta, sauces and homemade lasagne."),
        ("k3", "Spice Rack", "kitchen", "Twenty jars of herbs and spices for seasoning your cooking."),
        ("k4", "Cast Iron Pan", "kitchen", "A heavy frying pan for searing steak and frying eggs."),
        ("k5", "Soup Pot", "kitchen", "A large stockpot for simmering soups, stews and broths."),
    ];

    /// <summary>Never viewed, bought or rated by anyone: the model cannot know them.</summary>
    private static readonly (string Id, string Title, string Category, string Description)[] Unseen =
    [
        ("telescope", "Backyard Telescope", "space", "A telescope for viewing the craters of the Moon, the rings of Saturn and distant galaxies."),
        ("whisk", "Baker's Whisk Set", "kitchen", "Whisks for beating eggs, whipping cream and mixing cake batter in the kitchen."),
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient Client => host.Client;

    [Fact]
    public async Task ANeverBoughtItemReachesAShopperByItsTextAndAnUnknownItemHasContentNeighbours()
    {
        await StoreShopAndRetrainAsync();

        // explore=0: the list is the model's candidates, then the items only content can score, then trending.
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/users/fan/recommendations?count=20&explore=0", Cancel);
        var similar = await Client.GetFromJsonAsync<JsonElement>("/api/items/whisk/similar?count=3", Cancel);

        Assert.Equal("model", list.GetProperty("source").GetString());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        var telescope = Assert.Single(items, i => i.GetProperty("itemId").GetString() == "telescope");
        Assert.Equal("content", telescope.GetProperty("reasonKind").GetString());
        var basedOn = telescope.GetProperty("basedOn").GetString();
        Assert.Contains(basedOn, new[] { "s0", "s1", "s2" });
        var title = Space.Single(s => s.Id == basedOn).Title;
        Assert.Equal($"similar to {title} you viewed", telescope.GetProperty("reason").GetString());
        var whisk = items.FindIndex(i => i.GetProperty("itemId").GetString() == "whisk");
        Assert.True(whisk < 0 || whisk > items.IndexOf(telescope), "the space shopper's unseen space item comes before the unseen kitchen item");

        var neighbours = similar.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, neighbours.Count);
        Assert.All(neighbours, n =>
        {
            Assert.Equal("content", n.GetProperty("reasonKind").GetString());
            Assert.Equal("similar to Baker's Whisk Set", n.GetProperty("reason").GetString());
            Assert.Equal("whisk", n.GetProperty("basedOn").GetString());
        });
        Assert.StartsWith("k", neighbours[0].GetProperty("itemId").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The catalogue, 15 shoppers of each taste viewing (and buying some of) its six items, the space fan's three views, and
    /// one retrain through the admin API (the timer's function).
    /// </summary>
    private async Task StoreShopAndRetrainAsync()
    {
        var catalogue = Space.Concat(Kitchen).Concat(Unseen).Select(i => new { itemId = i.Id, title = i.Title, category = i.Category, description = i.Description });
        using var put = await Client.PutAsJsonAsync("/api/items", catalogue, Cancel);
        put.EnsureSuccessStatusCode();

        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 30).SelectMany(user => (user < 15 ? Space : Kitchen).Select((item, k) => new
        {
            eventId = $"e-{user}-{item.Id}",
            userId = $"u{user:00}",
            itemId = item.Id,
            type = (user + k) % 4 == 0 ? "purchase" : "view",
            timestamp = now.AddMinutes(-200 + (user * 6) + k),
        }))
            .Concat(new[] { "s0", "s1", "s2" }.Select((item, k) => new { eventId = $"fan-{item}", userId = "fan", itemId = item, type = "view", timestamp = now.AddMinutes(-3 + k) }));
        using var posted = await Client.PostAsJsonAsync("/api/events", events, Cancel);
        posted.EnsureSuccessStatusCode();

        using var retrain = await Client.PostAsync("/admin/functions/Retrain", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        retrain.EnsureSuccessStatusCode();
        var models = await Client.GetFromJsonAsync<JsonElement>("/api/manage/models", Cancel);
        Assert.Single(models.GetProperty("versions").EnumerateArray());
    }
}
