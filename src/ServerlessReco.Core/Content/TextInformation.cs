using System.Text;
using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Core.Content;

/// <summary>
/// Which catalogue items have texts that carry information, so only those are embedded. A title that is its item's
/// id, a number, or a placeholder such as "item 12345" tells the content model nothing, yet two such titles embed
/// close together: a shop of 84,793 "item N" titles spent 277 s embedding them and then filled 53,621 of 60,000 slots
/// with "similar to item X" matches. The category does not count (serving weighs categories on their own).
/// </summary>
public static class TextInformation
{
    /// <summary>Words that name no property of an item: what a catalogue export writes when it has no title.</summary>
    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "item", "items", "product", "products", "sku", "id", "article", "untitled", "unnamed", "no", "title", "name",
        "n/a", "na", "none", "null", "tbd", "test", "placeholder", "default", "new", "object", "thing",
    };

    /// <summary>
    /// The items whose title, tags or description say something once the item's id, digits, punctuation and placeholder
    /// words are taken out; and, when fewer than two distinct such texts are left (nothing to tell items apart by),
    /// none of them and why.
    /// </summary>
    public static (IReadOnlyList<CatalogItem> Informative, string? WhyNone) Select(IReadOnlyList<CatalogItem> catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var informative = new List<CatalogItem>(catalogue.Count);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var withText = 0;
        foreach (var item in catalogue)
        {
            if (ItemText.Of(item) is null)
            {
                continue;
            }

            withText++;
            var words = Words(item);
            if (words.Length > 0)
            {
                informative.Add(item);
                distinct.Add(words);
            }
        }

        if (withText == 0)
        {
            return ([], "no item has a text");
        }

        return distinct.Count switch
        {
            0 => ([], $"item texts carry no information: the titles, tags and descriptions of all {withText:N0} items with text are ids, numbers or placeholders"),
            1 => ([], $"item texts carry no information: the {informative.Count:N0} items whose texts say anything all say the same"),
            _ => (informative, null),
        };
    }

    /// <summary>The item's title, tags and description reduced to their telling words, lower case, space-separated; empty when none is left.</summary>
    public static string Words(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = string.Join(' ', new[] { item.Title, item.Description }.Concat(item.Tags).Where(t => !string.IsNullOrWhiteSpace(t)));
        if (!string.IsNullOrEmpty(item.ItemId))
        {
            text = text.Replace(item.ItemId, " ", StringComparison.OrdinalIgnoreCase);
        }

        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetter(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            // A word with a digit inside ("x12", "a7b") is a code, not a word: dropped with its digits.
            if (char.IsDigit(c))
            {
                word.Append('0');
                continue;
            }

            var w = word.ToString();
            word.Clear();
            if (w.Length >= 2 && !w.Contains('0', StringComparison.Ordinal) && !Placeholders.Contains(w))
            {
                words.Add(w);
            }
        }

        return string.Join(' ', words);
    }
}
