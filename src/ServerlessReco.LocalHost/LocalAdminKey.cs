using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessReco.LocalHost;

/// <summary>
/// Like <c>func start</c>, the local host checks no function keys; but with the setting <c>LocalHost:AdminKey</c> the
/// admin-level routes (<c>manage/*</c>) want that key, in the <c>x-functions-key</c> header or the <c>code</c> query
/// parameter, and answer 401 with an empty body without it, as the Functions host does for its master key. So a shop
/// can keep its dashboard's data behind a key on a shared machine, and the dashboard's handling of a wrong key can be
/// tried locally.
/// </summary>
public sealed class LocalAdminKey(string? key)
{
    public const string Setting = "LocalHost:AdminKey";

    public bool IsSet => !string.IsNullOrEmpty(key);

    /// <summary>Whether the request may call a function of this binding (always, when no key is set or the level is not admin).</summary>
    public bool Allows(HttpBinding binding, HttpRequest request)
    {
        return binding.Level != AuthorizationLevel.Admin || AllowsAdmin(request);
    }

    /// <summary>Whether the request carries the admin key (always, when no key is set).</summary>
    public bool AllowsAdmin(HttpRequest request)
    {
        if (!IsSet)
        {
            return true;
        }

        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return given is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key!));
    }
}
