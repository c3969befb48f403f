using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Copies embedded resources out of a .NET assembly into files. Each item of <see cref="Resources"/>
/// names a resource; its <c>Destination</c> metadata is the file to write.
/// </summary>
/// <remarks>
/// The assembly is loaded from its bytes, which reads its metadata and resources but never runs or
/// resolves anything in it (its own dependencies, such as an old ONNX Runtime, are not needed).
/// RoslynCodeTaskFactory compiles against netstandard only, where System.Reflection.Metadata is not
/// available to reference, so this is the dependency-free way to read a resource from an inline task.
/// </remarks>
public sealed class ExtractManifestResources : Task
{
    [Required]
    public string Assembly { get; set; } = string.Empty;

    [Required]
    public ITaskItem[] Resources { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var assembly = System.Reflection.Assembly.Load(File.ReadAllBytes(Assembly));
        foreach (var resource in Resources)
        {
            var destination = resource.GetMetadata("Destination");
            using var source = assembly.GetManifestResourceStream(resource.ItemSpec);
            if (source is null)
            {
                Log.LogError($"{Assembly} has no embedded resource named '{resource.ItemSpec}'.");
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination)));
            var temporary = destination + ".tmp";
            using (var target = File.Create(temporary))
            {
                source.CopyTo(target);
            }

            // Written under another name first, so an interrupted build never leaves a truncated model behind.
            File.Copy(temporary, destination, overwrite: true);
            File.Delete(temporary);
            Log.LogMessage(MessageImportance.Normal, $"Extracted {resource.ItemSpec} ({source.Length} bytes) to {destination}.");
        }

        return !Log.HasLoggedErrors;
    }
}
