using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The closed sets of a served list are types in code and the same strings in JSON as before.</summary>
public sealed class ServingWireNamesTests
{
    [Fact]
    public void SlotReasonAndSourceKindsKeepTheirJsonStrings()
    {
        Assert.Equal(["\"exploit\"", "\"explore\""], Enum.GetValues<SlotKind>().Select(k => JsonSerializer.Serialize(k)));
        Assert.All(Enum.GetValues<SlotKind>(), k => Assert.Equal($"\"{k.WireName()}\"", JsonSerializer.Serialize(k)));
        Assert.Equal(
            ["\"history\"", "\"similar\"", "\"trending\"", "\"popular\"", "\"new-arrival\"", "\"discovery\"", "\"content\"", "\"catalogue\""],
            Enum.GetValues<ReasonKind>().Select(k => JsonSerializer.Serialize(k)));
        Assert.Equal(["\"model\"", "\"popularity-fallback\""], Enum.GetValues<ServingSource>().Select(k => JsonSerializer.Serialize(k)));
    }

    [Fact]
    public void AServedItemReadsBackFromItsJson()
    {
        var item = new RecommendedItem("sku-1", 0.5, "new arrival", ReasonKind.NewArrival, SlotKind: SlotKind.Explore, Propensity: 0.25);
        var json = JsonSerializer.Serialize(item, JsonSerializerOptions.Web);

        Assert.Contains("\"reasonKind\":\"new-arrival\"", json, StringComparison.Ordinal);
        Assert.Contains("\"slotKind\":\"explore\"", json, StringComparison.Ordinal);
        Assert.Equal(item, JsonSerializer.Deserialize<RecommendedItem>(json, JsonSerializerOptions.Web));
    }
}
