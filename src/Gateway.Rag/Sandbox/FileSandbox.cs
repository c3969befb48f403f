using System.Runtime.CompilerServices;
using Gateway.Rag.Sandbox.Internal;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Rag.Sandbox;

/// <summary>
/// Read-only access to the folders named in <see cref="SandboxOptions.Roots"/>: list a folder, read a file,
/// enumerate the files below a folder by globs (for ingestion and folder sync). Nothing is ever written.
/// Every path is relative to its root and resolved to its real path one name at a time, following every
/// link (chains, relative targets, a linked parent folder) the way the operating system would; whatever
/// that real path is must lie inside the root's own real path, else the path is refused with
/// <c>sandbox_path_denied</c> (ADR 0021). A link that leads outside is left out of listings and
/// enumerations; one that leads to a dotfile is hidden like the dotfile. A file is opened at its checked
/// real path and, on Linux, the opened handle's own path is checked again, so a link swapped in between
/// cannot lead a read outside.
/// </summary>
public sealed partial class FileSandbox
{
    private static readonly EnumerationOptions OneFolder = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private readonly Dictionary<string, SandboxRoot> _roots = new(StringComparer.OrdinalIgnoreCase);
    private readonly SandboxOptions _options;
    private readonly ILogger<FileSandbox> _logger;

    /// <summary>Creates the sandbox over validated options, resolving each root's real path once.</summary>
    /// <exception cref="InvalidOperationException">A root's folder is gone or leads nowhere.</exception>
    public FileSandbox(IOptions<SandboxOptions> options, ILogger<FileSandbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        foreach (var (name, path) in _options.Roots)
        {
            var real = Internal.RealPath.Of(path);
            if (real.Info is not DirectoryInfo)
            {
                throw new InvalidOperationException(
                    $"{SandboxEnvironmentVariables.Roots}: the root '{name}' ('{path}') does not lead to a folder.");
            }

            _roots[name] = new SandboxRoot(name, real.Path);
        }

        RootNames = [.. _roots.Keys.Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The names of the roots, in name order.</summary>
    public IReadOnlyList<string> RootNames { get; }

    /// <summary>The file or folder at <paramref name="path"/> in <paramref name="root"/> (empty: the root itself).</summary>
    /// <exception cref="Core.Errors.GatewayException">
    /// <c>sandbox_root_not_found</c>, <c>invalid_path</c>, <c>sandbox_path_denied</c> or <c>file_not_found</c>.
    /// </exception>
    public SandboxEntry GetEntry(string root, string? path) => Resolve(root, path).Entry;

    /// <summary>
    /// The entries of the folder at <paramref name="path"/> (empty: the root), folders first, then by name.
    /// Dotfiles (unless <see cref="SandboxOptions.ShowDotfiles"/>), entries the process cannot read, links
    /// that lead outside the root or nowhere, and loops of links are not listed.
    /// </summary>
    /// <exception cref="Core.Errors.GatewayException">As <see cref="GetEntry"/>, and <c>not_a_folder</c>.</exception>
    public IReadOnlyList<SandboxEntry> ListFolder(string root, string? path, CancellationToken cancellationToken = default)
    {
        var folder = Resolve(root, path);
        if (folder.Entry.Kind != SandboxEntryKind.Folder)
        {
            throw SandboxErrors.NotAFolder(folder.Root.Name, folder.Entry.Path);
        }

        return [.. Children(folder.Root, folder.RealPath, folder.Entry.Path, cancellationToken)
            .Select(child => child.Entry)
            .OrderBy(entry => entry.Kind == SandboxEntryKind.Folder ? 0 : 1)
            .ThenBy(entry => entry.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Opens the file at <paramref name="path"/> for reading, checks its length against
    /// <paramref name="maxBytes"/> (default <see cref="SandboxOptions.MaxReadBytes"/>) and tells text from
    /// binary by its first bytes. An empty entry is never opened (pipes and devices have length 0, and
    /// opening one could wait forever), it reads as an empty text.
    /// </summary>
    /// <param name="root">The root's name.</param>
    /// <param name="path">The file's path inside the root.</param>
    /// <param name="maxBytes">The largest length accepted; <see langword="null"/> for <see cref="SandboxOptions.MaxReadBytes"/>.</param>
    /// <param name="cancellationToken">Cancels reading the first bytes.</param>
    /// <exception cref="Core.Errors.GatewayException">As <see cref="GetEntry"/>, and <c>not_a_file</c> or <c>file_too_large</c>.</exception>
    public async Task<SandboxFile> OpenFileAsync(string root, string? path, long? maxBytes = null, CancellationToken cancellationToken = default)
    {
        var file = Resolve(root, path);
        var entry = file.Entry;
        if (entry.Kind != SandboxEntryKind.File)
        {
            throw SandboxErrors.NotAFile(file.Root.Name, entry.Path);
        }

        var limit = maxBytes ?? _options.MaxReadBytes;
        var limitSetting = maxBytes is null ? SandboxEnvironmentVariables.MaxReadBytes : null;
        CheckLength(file, entry.Size ?? 0, limit, limitSetting);
        if (entry.Size == 0)
        {
            return new SandboxFile(entry, Stream.Null, isText: true, ContentSniffer.ContentType(entry.Name, "utf-8"));
        }

        var handle = OpenHandle(file);
        try
        {
            var opened = OpenedFilePath.Of(handle);
            if (opened is not null && !file.Root.Contains(opened))
            {
                throw Deny(file.Root, entry.Path, "was replaced by a link leading outside the root while it was opened");
            }

            var length = RandomAccess.GetLength(handle);
            CheckLength(file, length, limit, limitSetting);
            var sample = new byte[(int)Math.Min(length, ContentSniffer.SampleBytes)];
            var read = await RandomAccess.ReadAsync(handle, sample, 0, cancellationToken).ConfigureAwait(false);
            var charset = ContentSniffer.TextCharset(sample.AsSpan(0, read), whole: read >= length);
            var content = new BoundedReadStream(new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: handle.IsAsync), length);
            return new SandboxFile(entry with { Size = length }, content, charset is not null, ContentSniffer.ContentType(entry.Name, charset));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every file below the folder at <paramref name="path"/> (all depths) whose path relative to that folder
    /// matches an <paramref name="include"/> glob (default <c>**/*</c>) and no <paramref name="exclude"/> glob,
    /// ignoring case (Microsoft.Extensions.FileSystemGlobbing: <c>*</c>, <c>**</c>, <c>?</c>). Each entry's
    /// <see cref="SandboxEntry.Path"/> is relative to the root, ready for <see cref="OpenFileAsync"/>. Left out
    /// as in <see cref="ListFolder"/>, and also a folder already walked through another link, and a path longer
    /// than <see cref="SandboxOptions.MaxPathCharacters"/>. Entries come folder by folder, in no promised order.
    /// </summary>
    /// <exception cref="Core.Errors.GatewayException">As <see cref="ListFolder"/>, when the walk starts.</exception>
    public async IAsyncEnumerable<SandboxEntry> EnumerateFilesAsync(
        string root,
        string? path,
        IReadOnlyList<string>? include = null,
        IReadOnlyList<string>? exclude = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = Resolve(root, path);
        if (start.Entry.Kind != SandboxEntryKind.Folder)
        {
            throw SandboxErrors.NotAFolder(start.Root.Name, start.Entry.Path);
        }

        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(include is { Count: > 0 } ? include : ["**/*"]);
        if (exclude is not null)
        {
            matcher.AddExcludePatterns(exclude);
        }

        var prefix = start.Entry.Path.Length == 0 ? 0 : start.Entry.Path.Length + 1;
        var visited = new HashSet<string>(StringComparer.Ordinal) { start.RealPath };
        var folders = new Stack<(string RealPath, string Path)>([(start.RealPath, start.Entry.Path)]);
        while (folders.TryPop(out var folder))
        {
            foreach (var child in Children(start.Root, folder.RealPath, folder.Path, cancellationToken))
            {
                if (child.Entry.Kind == SandboxEntryKind.Folder)
                {
                    if (visited.Add(child.RealPath))
                    {
                        folders.Push((child.RealPath, child.Entry.Path));
                    }
                }
                else if (child.Entry.Path.Length <= _options.MaxPathCharacters && matcher.Match(child.Entry.Path[prefix..]).HasMatches)
                {
                    yield return child.Entry;
                }
            }

            // The walk reads metadata synchronously; yielding between folders keeps a long one from holding its caller's thread.
            await Task.Yield();
        }
    }

    internal static bool IsDotfile(string name) => name.StartsWith('.');

    private IEnumerable<ResolvedEntry> Children(SandboxRoot root, string realFolder, string folderPath, CancellationToken cancellationToken)
    {
        foreach (var child in new DirectoryInfo(realFolder).EnumerateFileSystemInfos("*", OneFolder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_options.ShowDotfiles && IsDotfile(child.Name))
            {
                continue;
            }

            var childPath = folderPath.Length == 0 ? child.Name : $"{folderPath}/{child.Name}";
            var real = child.LinkTarget is null
                ? new RealPathResult(child.FullName, RealPathStatus.Found, child)
                : ResolveQuietly(realFolder, child.Name);
            if (real is { Status: RealPathStatus.Found, Info: { } info } && root.Contains(real.Path) && !(!_options.ShowDotfiles && root.IsHidden(real.Path))
                && EntryOf(child.Name, childPath, info) is { } entry)
            {
                yield return new ResolvedEntry(root, real.Path, entry);
            }
        }
    }

    private static RealPathResult? ResolveQuietly(string realFolder, string name)
    {
        try
        {
            return Internal.RealPath.Resolve(realFolder, [name]);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    private ResolvedEntry Resolve(string rootName, string? path)
    {
        if (!_roots.TryGetValue(rootName ?? string.Empty, out var root))
        {
            throw SandboxErrors.RootNotFound(rootName ?? string.Empty, RootNames);
        }

        IReadOnlyList<string> names;
        try
        {
            names = SandboxRequestPath.Parse(root.Name, path, _options.MaxPathCharacters);
        }
        catch (Core.Errors.GatewayException ex) when (ex.ErrorCode == Core.Errors.GatewayErrorCodes.SandboxPathDenied)
        {
            LogDenied(root.Name, ex.Message);
            throw;
        }

        var logical = string.Join('/', names);
        if (!_options.ShowDotfiles && names.Any(IsDotfile))
        {
            throw SandboxErrors.NotFound(root.Name, logical);
        }

        RealPathResult real;
        try
        {
            real = Internal.RealPath.Resolve(root.RealPath, names);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Deny(root, logical, "cannot be read by the gateway's process");
        }

        switch (real.Status)
        {
            case RealPathStatus.Loop:
                throw Deny(root, logical, "goes through a loop of links");
            case RealPathStatus.Missing:
                throw root.Contains(real.Path) ? SandboxErrors.NotFound(root.Name, logical) : Deny(root, logical, "leads outside the root through a link");
        }

        if (!root.Contains(real.Path))
        {
            throw Deny(root, logical, "leads outside the root through a link");
        }

        if (!_options.ShowDotfiles && root.IsHidden(real.Path))
        {
            throw SandboxErrors.NotFound(root.Name, logical);
        }

        var name = names.Count == 0 ? string.Empty : names[^1];
        return EntryOf(name, logical, real.Info!) is { } entry
            ? new ResolvedEntry(root, real.Path, entry)
            : throw SandboxErrors.NotFound(root.Name, logical);
    }

    private static SandboxEntry? EntryOf(string name, string path, FileSystemInfo info)
    {
        try
        {
            var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
            return info is FileInfo file
                ? new SandboxEntry(name, path, SandboxEntryKind.File, file.Length, modified)
                : new SandboxEntry(name, path, SandboxEntryKind.Folder, null, modified);
        }
        catch (IOException)
        {
            // Gone between the listing and the look at it.
            return null;
        }
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(ResolvedEntry file)
    {
        try
        {
            return File.OpenHandle(file.RealPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SandboxErrors.NotFound(file.Root.Name, file.Entry.Path);
        }
        catch (UnauthorizedAccessException)
        {
            throw Deny(file.Root, file.Entry.Path, "cannot be read by the gateway's process");
        }
    }

    private static void CheckLength(ResolvedEntry file, long length, long limit, string? limitSetting)
    {
        if (length > limit)
        {
            throw SandboxErrors.TooLarge(file.Root.Name, file.Entry.Path, length, limit, limitSetting);
        }
    }

    private Core.Errors.GatewayException Deny(SandboxRoot root, string path, string reason)
    {
        var error = SandboxErrors.Denied(root.Name, path, reason);
        LogDenied(root.Name, error.Message);
        return error;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sandbox refused a path in root '{Root}': {Reason}")]
    private partial void LogDenied(string root, string reason);

    private sealed record ResolvedEntry(SandboxRoot Root, string RealPath, SandboxEntry Entry);
}
