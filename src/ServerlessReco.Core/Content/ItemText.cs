using System.Security.Cryptography;
using System.Text;
using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Core.Content;

/// <summary>What the content model reads of an item, and the key its vector is cached under.</summary>
public static class ItemText
{
    /// <summary>
    /// The item's title, category, tags and description as one text ("Toy Story (1995). Animation. Animation,
    /// Children's, Comedy."); the category is left out when a tag repeats it. Null when the item has no text at all.
    /// </summary>
    public static string? Of(CatalogItem item)
    {
        var parts = new List<string>(4);
        Add(parts, item.Title);
        if (!item.Tags.Contains(item.Category ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            Add(parts, item.Category);
        }

        Add(parts, string.Join(", ", item.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim())));
        Add(parts, item.Description);
        return parts.Count == 0 ? null : string.Join(". ", parts) + ".";
    }

    /// <summary>The cache key of a text: the first 128 bits of its SHA-256 (no two catalogue texts collide in practice).</summary>
    public static UInt128 Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128(BitConverter.ToUInt64(digest[..8]), BitConverter.ToUInt64(digest[8..16]));
    }

    private static void Add(List<string> parts, string? text)
    {
        var trimmed = text?.Trim().TrimEnd('.');
        if (!string.IsNullOrEmpty(trimmed))
        {
            parts.Add(trimmed);
        }
    }
}
