using System.Security.Cryptography;
using System.Text;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// Maps an application id (event id, item id) to a Cosmos DB document id. Cosmos DB forbids '/', '\', '?'
/// and '#' in ids and caps them at 255 characters; ids free of those characters and of '%' are used as
/// they are, others are percent-escaped ('%' itself included, so the mapping stays one-to-one), and an
/// escaped id too long for Cosmos becomes "%h" and a hash, which no escaped id can look like.
/// The original id is always stored in the document as well.
/// </summary>
internal static class CosmosIds
{
    public const int MaxLength = 255;

    public static string ToDocumentId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.AsSpan().IndexOfAny(Escaped) < 0)
        {
            return id.Length <= MaxLength ? id : Hashed(id);
        }

        var builder = new StringBuilder(id.Length + 16);
        foreach (var c in id)
        {
            _ = Escaped.Contains(c) ? builder.Append('%').Append(((int)c).ToString("X2", null)) : builder.Append(c);
        }

        return builder.Length <= MaxLength ? builder.ToString() : Hashed(id);
    }

    private static string Hashed(string id) =>
        "%h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create("%/\\?#");
}
