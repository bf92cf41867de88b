using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Datasets;

/// <summary>One explicit rating as research data sets carry it: integer user and item ids, Unix seconds.</summary>
public readonly record struct RatingRow(int User, int Item, double Rating, long Timestamp)
{
    /// <summary>The row as the behaviour event the rest of the system trains from.</summary>
    public BehaviorEvent ToEvent() => new()
    {
        EventId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ml:{User}:{Item}:{Timestamp}"),
        UserId = User.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ItemId = Item.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Type = EventType.Rating,
        Value = Rating,
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(Timestamp),
    };
}
