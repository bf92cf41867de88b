using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Events;

/// <summary>
/// Why a slot of a served list holds its item: to exploit what is known, or to learn (explore). In JSON and in logged
/// lists "exploit" and "explore" (<see cref="SlotKindNames.WireName"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlotKind>))]
public enum SlotKind
{
    [JsonStringEnumMemberName("exploit")]
    Exploit,

    [JsonStringEnumMemberName("explore")]
    Explore,
}

/// <summary>The names of slot kinds on the wire and in stored lists.</summary>
public static class SlotKindNames
{
    public static string WireName(this SlotKind kind) => kind == SlotKind.Explore ? "explore" : "exploit";

    public static bool TryParse(string? name, out SlotKind kind)
    {
        kind = name == "explore" ? SlotKind.Explore : SlotKind.Exploit;
        return name is "explore" or "exploit";
    }
}
