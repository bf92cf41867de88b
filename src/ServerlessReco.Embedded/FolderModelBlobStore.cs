using System.Globalization;
using System.Runtime.CompilerServices;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Embedded;

/// <summary>
/// Model blobs as files under one folder. A write goes to a temporary file and is renamed into place, so a
/// reader never sees half a model; conditional writes hold an exclusive lock file, so two processes sharing
/// the folder cannot both win a compare-and-swap. The entity tag is the file's write time and length.
/// </summary>
public sealed class FolderModelBlobStore : IModelBlobStore
{
    private const string LockFileName = ".write.lock";
    private readonly string _root;
    private readonly SemaphoreSlim _inProcessLock = new(1, 1);

    public FolderModelBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        await _inProcessLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var crossProcessLock = await AcquireLockFileAsync(cancellationToken).ConfigureAwait(false);
            var current = ETagOf(path);
            var holds = condition.Kind switch
            {
                BlobConditionKind.IfNotExists => current is null,
                BlobConditionKind.IfMatch => current is not null && current == condition.ETag,
                _ => true,
            };
            if (!holds)
            {
                File.Delete(temporary);
                throw new BlobConditionFailedException(name);
            }

            // A fresh write time even when the same second and length repeat, so the tag always changes.
            var stamp = DateTime.UtcNow;
            if (File.Exists(path) && File.GetLastWriteTimeUtc(path) >= stamp)
            {
                stamp = File.GetLastWriteTimeUtc(path).AddTicks(1);
            }

            File.SetLastWriteTimeUtc(temporary, stamp);
            File.Move(temporary, path, overwrite: true);
            return ETagOf(path)!;
        }
        finally
        {
            _inProcessLock.Release();
            File.Delete(temporary);
        }
    }

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        try
        {
            // Open first, then take both halves of the tag from the open handle: a rename into place after the open
            // does not change what this stream reads, so the tag must not mix the new file's time with this one's length.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            var tag = Tag(File.GetLastWriteTimeUtc(stream.SafeFileHandle), stream.Length);
            return Task.FromResult<BlobDownload?>(new BlobDownload(stream, tag));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<BlobDownload?>(null);
        }
    }

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(ETagOf(PathOf(name)));

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(".tmp", StringComparison.Ordinal) && Path.GetFileName(path) != LockFileName)
            .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private string PathOf(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('/') || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{name}' is not a valid blob name.", nameof(name));
        }

        var path = Path.GetFullPath(Path.Combine(_root, name));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{name}' points outside the store.", nameof(name));
    }

    private static string? ETagOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? Tag(info.LastWriteTimeUtc, info.Length) : null;
    }

    private static string Tag(DateTime writtenUtc, long length) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{writtenUtc.Ticks:x}-{length:x}\"");

    private async Task<FileStream> AcquireLockFileAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, LockFileName);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
