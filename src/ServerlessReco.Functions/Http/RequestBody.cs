using Microsoft.AspNetCore.Http;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Functions.Http;

/// <summary>
/// Reads a request body with a hard size bound, before any parsing: an oversized body is refused
/// from its Content-Length, or after reading one byte past the limit, never buffered whole.
/// </summary>
public static class RequestBody
{
    public static async Task<BodyRead> ReadAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = IngestionLimits.MaxBodyBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return BodyRead.TooLarge(maxBytes);
        }

        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return BodyRead.Failed(Problems.UnsupportedMediaType(contentType));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return BodyRead.TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return new BodyRead(buffer.ToArray(), null);
    }

    /// <summary>
    /// Whether a Content-Type names JSON (or JSON Lines). Not <c>text/plain</c>: a web page may send that to any address
    /// without a CORS preflight, so accepting it would let any page post through a visitor's browser.
    /// </summary>
    public static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The body's bytes, or the response that refuses it.</summary>
public sealed record BodyRead(byte[] Bytes, Microsoft.AspNetCore.Mvc.IActionResult? Refusal)
{
    public static BodyRead TooLarge(int maxBytes) => Failed(Problems.PayloadTooLarge(maxBytes));

    public static BodyRead Failed(Microsoft.AspNetCore.Mvc.IActionResult refusal) => new([], refusal);
}
