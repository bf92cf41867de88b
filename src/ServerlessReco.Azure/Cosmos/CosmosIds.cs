using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// Maps an application id (event id, item id) to a Cosmos DB document id that survives every point operation.
/// Cosmos DB forbids '/', '\', '?' and '#' in ids, and ids with '%', spaces or other characters that a URL
/// path escapes can be created but not read back by id (the gateway and the SDK disagree on escaping).
/// So ids made only of ASCII letters, digits, '-', '_', '.' and ':' are used as they are; in any other id each
/// other character becomes '~' and the two hex digits of each of its UTF-8 bytes ('~' itself included,
/// which keeps the mapping one-to-one); an escaped id longer than Cosmos DB's 255 characters becomes "~h" and
/// a SHA-256, which no escaped id can look like. The original id is always stored in the document too.
/// </summary>
internal static class CosmosIds
{
    public const int MaxLength = 255;

    private const string SafeCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";
    private static readonly SearchValues<char> Safe = SearchValues.Create(SafeCharacters);

    public static string ToDocumentId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
        {
            return "~";
        }

        // "." and ".." are path segments that a URL resolves away: an id of dots only is escaped whole.
        var onlyDots = !id.AsSpan().ContainsAnyExcept('.');
        if (!onlyDots && !id.AsSpan().ContainsAnyExcept(Safe))
        {
            return id.Length <= MaxLength ? id : Hashed(id);
        }

        var builder = new StringBuilder(id.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (Safe.Contains(c) && !onlyDots)
            {
                builder.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                AppendBytes(builder, bytes[..Encoding.UTF8.GetBytes(id.AsSpan(i, 2), bytes)]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                // A lone surrogate has no UTF-8 form: spell out its code unit ('u' is no hex digit).
                builder.Append("~u").Append(((int)c).ToString("X4", null));
            }
            else
            {
                AppendBytes(builder, bytes[..Encoding.UTF8.GetBytes(id.AsSpan(i, 1), bytes)]);
            }
        }

        return builder.Length <= MaxLength ? builder.ToString() : Hashed(id);
    }

    private static void AppendBytes(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            builder.Append('~').Append(b.ToString("X2", null));
        }
    }

    private static string Hashed(string id) =>
        "~h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
