namespace ServerlessReco.Core.ClickPrediction;

/// <summary>What is known of one shopper from the rows before a moment: how many slots they were shown and engaged with.</summary>
public readonly record struct UserExposure(int Shows, int Engaged);

/// <summary>
/// The counts the click model's exposure features read, as of the newest logged row: every item's showings, every
/// shopper's, and every shopper-item pair's fatigue (showings without a click since the last click, when last shown).
/// Training counts them row by row (each row sees only the rows before it); the model carries the final counts, so
/// serving reads the same features without a second store read per request. They are as fresh as the last retrain:
/// a list served since counts from the next one.
/// </summary>
public sealed class ClickExposures(
    IReadOnlyDictionary<string, ItemExposure> items, IReadOnlyDictionary<string, UserExposure> users, IReadOnlyDictionary<(string User, string Item), PairExposure> pairs)
{
    public static ClickExposures Empty { get; } = new(
        new Dictionary<string, ItemExposure>(StringComparer.Ordinal), new Dictionary<string, UserExposure>(StringComparer.Ordinal), new Dictionary<(string, string), PairExposure>());

    public IReadOnlyDictionary<string, ItemExposure> Items { get; } = items;

    /// <summary>Keyed by the shopper's pseudonym, as the rows are.</summary>
    public IReadOnlyDictionary<string, UserExposure> Users { get; } = users;

    public IReadOnlyDictionary<(string User, string Item), PairExposure> Pairs { get; } = pairs;

    /// <summary>Writes the counts with every id once (pairs by the index of their shopper and item).</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var itemIndex = new Dictionary<string, int>(Items.Count, StringComparer.Ordinal);
        writer.Write(Items.Count);
        foreach (var (item, exposure) in Items)
        {
            itemIndex[item] = itemIndex.Count;
            writer.Write(item);
            writer.Write(exposure.Shows);
            writer.Write(exposure.Engaged);
            writer.Write(exposure.FirstShownTicks);
        }

        var userIndex = new Dictionary<string, int>(Users.Count, StringComparer.Ordinal);
        writer.Write(Users.Count);
        foreach (var (user, exposure) in Users)
        {
            userIndex[user] = userIndex.Count;
            writer.Write(user);
            writer.Write(exposure.Shows);
            writer.Write(exposure.Engaged);
        }

        writer.Write(Pairs.Count);
        foreach (var ((user, item), pair) in Pairs)
        {
            writer.Write(userIndex[user]);
            writer.Write(itemIndex[item]);
            writer.Write(pair.ShowsWithoutClick);
            writer.Write(pair.LastShownTicks);
            writer.Write(pair.Engaged);
        }
    }

    /// <summary>Reads the counts, refusing declared sizes and indexes outside what was written.</summary>
    public static ClickExposures Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var itemCount = Checked(reader.ReadInt32(), "items");
        var (items, itemIds) = (new Dictionary<string, ItemExposure>(itemCount, StringComparer.Ordinal), new string[itemCount]);
        for (var i = 0; i < itemCount; i++)
        {
            itemIds[i] = reader.ReadString();
            items[itemIds[i]] = new ItemExposure(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64());
        }

        var userCount = Checked(reader.ReadInt32(), "shoppers");
        var (users, userIds) = (new Dictionary<string, UserExposure>(userCount, StringComparer.Ordinal), new string[userCount]);
        for (var u = 0; u < userCount; u++)
        {
            userIds[u] = reader.ReadString();
            users[userIds[u]] = new UserExposure(reader.ReadInt32(), reader.ReadInt32());
        }

        var pairCount = Checked(reader.ReadInt32(), "pairs");
        var pairs = new Dictionary<(string, string), PairExposure>(pairCount);
        for (var p = 0; p < pairCount; p++)
        {
            var (user, item) = (reader.ReadInt32(), reader.ReadInt32());
            if ((uint)user >= (uint)userCount || (uint)item >= (uint)itemCount)
            {
                throw new InvalidDataException($"A click model's pair names shopper {user} of {userCount} and item {item} of {itemCount}.");
            }

            pairs[(userIds[user], itemIds[item])] = new PairExposure(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32());
        }

        return new ClickExposures(items, users, pairs);
    }

    private static int Checked(int count, string what) =>
        count is >= 0 and <= 50_000_000 ? count : throw new InvalidDataException($"A click model declares {count} {what}.");
}
