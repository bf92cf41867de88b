using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Functions.Http;

namespace ServerlessReco.Functions.Tests;

/// <summary>Reads what a function returned as the JSON a client would receive.</summary>
internal static class ResultAssert
{
    public static JsonElement Json(IActionResult result, int status)
    {
        var json = Assert.IsType<JsonResult>(result);
        Assert.Equal(status, json.StatusCode);
        return JsonSerializer.SerializeToElement(json.Value, JsonDefaults.Options);
    }

    /// <summary>Asserts a problem+json response and returns the (index, field) pairs it names.</summary>
    public static List<(int? Index, string Field)> Problem(IActionResult result, int status)
    {
        var json = Assert.IsType<JsonResult>(result);
        Assert.Equal(Problems.ContentType, json.ContentType);
        var body = Json(result, status);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        return body.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => (
                e.TryGetProperty("index", out var index) ? index.GetInt32() : (int?)null,
                e.GetProperty("field").GetString()!)).ToList()
            : [];
    }
}
