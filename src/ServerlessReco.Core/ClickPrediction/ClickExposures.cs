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
        var itemIndex = WriteNumbered(writer, Items, item =>
        {
            writer.Write(item.Shows);
            writer.Write(item.Engaged);
            writer.Write(item.FirstShownTicks);
        });
        var userIndex = WriteNumbered(writer, Users, user =>
        {
            writer.Write(user.Shows);
            writer.Write(user.Engaged);
        });

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
        var (items, itemIds) = ReadNumbered(reader, "items", () => new ItemExposure(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64()));
        var (users, userIds) = ReadNumbered(reader, "shoppers", () => new UserExposure(reader.ReadInt32(), reader.ReadInt32()));
        var (itemCount, userCount) = (itemIds.Length, userIds.Length);

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

    /// <summary>
    /// The count, then each id followed by its counts (<paramref name="writeCounts"/>); the ids' numbers in the order
    /// written, by which the pairs name them.
    /// </summary>
    private static Dictionary<string, int> WriteNumbered<T>(BinaryWriter writer, IReadOnlyDictionary<string, T> byId, Action<T> writeCounts)
    {
        var index = new Dictionary<string, int>(byId.Count, StringComparer.Ordinal);
        writer.Write(byId.Count);
        foreach (var (id, counts) in byId)
        {
            index[id] = index.Count;
            writer.Write(id);
            writeCounts(counts);
        }

        return index;
    }

    /// <summary>What <see cref="WriteNumbered"/> wrote: the counts by id, and the ids by their number.</summary>
    private static (Dictionary<string, T> ById, string[] Ids) ReadNumbered<T>(BinaryReader reader, string what, Func<T> readCounts)
    {
        var count = Checked(reader.ReadInt32(), what);
        var (byId, ids) = (new Dictionary<string, T>(count, StringComparer.Ordinal), new string[count]);
        for (var i = 0; i < count; i++)
        {
            ids[i] = reader.ReadString();
            byId[ids[i]] = readCounts();
        }

        return (byId, ids);
    }

    private static int Checked(int count, string what) =>
        count is >= 0 and <= 50_000_000 ? count : throw new InvalidDataException($"A click model declares {count} {what}.");
}
