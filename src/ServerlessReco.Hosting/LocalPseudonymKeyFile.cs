using ServerlessReco.Core.Privacy;

namespace ServerlessReco.Hosting;

/// <summary>
/// The pseudonym key of a development machine: generated once into the embedded store's data directory and
/// read from there on every later start, so the pseudonyms of stored events stay valid. The file is created
/// readable by its owner only, and never overwritten: losing it would orphan every stored event.
/// </summary>
public static class LocalPseudonymKeyFile
{
    public const string FileName = "pseudonym.key";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>The key in <paramref name="dataDirectory"/>, created first if there is none.</summary>
    public static UserPseudonymiser ReadOrCreate(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        var text = File.ReadAllText(path);
        return UserPseudonymiser.TryDecodeKey(text, out var key, out var problem)
            ? new UserPseudonymiser(key)
            : throw new InvalidDataException($"The pseudonym key file {Path.GetFullPath(path)} {problem} Restore it from a backup (a new key would orphan every stored event), or set Reco__PseudonymKey.");
    }

    /// <summary>
    /// Writes a new key beside the target, then moves it in without overwriting: a process starting at the same
    /// moment either finds the whole file or none, and whoever moves second keeps the first one's key.
    /// </summary>
    private static void TryCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var draft = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(draft, options))
            {
                writer.Write(UserPseudonymiser.NewKeyBase64());
            }

            File.Move(draft, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: theirs is the key.
        }
        finally
        {
            File.Delete(draft);
        }
    }
}
