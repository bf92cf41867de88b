using System.Globalization;
using System.Reflection;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// A policy's serving settings as the command-line configuration of a host (<c>--Serving:Explore=0</c>): every setting
/// that differs from the shipped <see cref="ServingOptions"/>, nested sections included, so a host started with them
/// serves exactly as the in-process simulation's <see cref="ServingOptions"/> of that policy.
/// </summary>
internal static class ServingArguments
{
    public static IReadOnlyList<string> For(ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var arguments = new List<string>();
        AddDifferences(options, new ServingOptions(), ServingOptions.Section, arguments);
        return arguments;
    }

    private static void AddDifferences(object options, object shipped, string section, List<string> arguments)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
        {
            var value = property.GetValue(options);
            var defaultValue = property.GetValue(shipped);
            var key = $"{section}:{property.Name}";
            if (value is System.Collections.IEnumerable and not string)
            {
                throw new NotSupportedException($"{key} is a list: add its translation to command-line settings here.");
            }

            if (value is not null && !IsScalar(property.PropertyType))
            {
                AddDifferences(value, defaultValue!, key, arguments);
            }
            else if (!Equals(value, defaultValue))
            {
                arguments.Add($"--{key}={Format(value ?? throw new ArgumentException($"{key} is unset in the policy but set when shipped: a command line cannot unset it."))}");
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan);
    }

    private static string Format(object value) => value switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
