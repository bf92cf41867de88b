using System.CommandLine;
using System.Globalization;

namespace ServerlessReco.Cli;

/// <summary>The checks options share, so that a bad value is refused by the parser, naming the option.</summary>
public static class OptionRules
{
    /// <summary>
    /// Refuses a value for which <paramref name="problem"/> says what is wrong. Runs only on a value that was
    /// read as a <typeparamref name="T"/>: one that was not (<c>--days x</c>) already has the parser's own error.
    /// </summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit)
            {
                return;
            }

            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not a T: the parser reports that itself, and nothing is left to check
            }

            if (problem(value) is { } message)
            {
                result.AddError(message);
            }
        });
        return option;
    }

    public static Option<int> AtLeast(this Option<int> option, int minimum) =>
        option.Check(v => v < minimum ? string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be at least {minimum}, not {v}.") : null);

    public static Option<long> AtLeast(this Option<long> option, long minimum) =>
        option.Check(v => v < minimum ? string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be at least {minimum}, not {v}.") : null);

    public static Option<int> Within(this Option<int> option, int minimum, int maximum) =>
        option.Check(v => v < minimum || v > maximum
            ? string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be a whole number from {minimum} to {maximum}, not {v}.")
            : null);

    /// <summary>A file that must exist when the option is given.</summary>
    public static Option<string> ExistingFile(this Option<string> option) =>
        option.Check(path => File.Exists(path) ? null : $"there is no file '{path}'.");

    /// <summary>A folder that must exist when the option is given.</summary>
    public static Option<string> ExistingDirectory(this Option<string> option) =>
        option.Check(path => Directory.Exists(path) ? null : $"there is no folder '{path}'.");
}
