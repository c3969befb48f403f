using System.Diagnostics;

namespace Gateway.AspNetCore.Tests.Metrics;

/// <summary>
/// Runs Prometheus's <c>promtool</c>: the path in <c>GATEWAY_TEST_PROMTOOL</c> (build/test.sh sets it
/// after installing Debian's <c>prometheus</c> package), else <c>promtool</c> on the PATH. A missing
/// promtool fails the test: the lint is the point of these tests.
/// </summary>
public static class Promtool
{
    public static string Path()
    {
        var configured = Environment.GetEnvironmentVariable("GATEWAY_TEST_PROMTOOL");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator))
        {
            var candidate = System.IO.Path.Combine(folder, "promtool");
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail(
            "promtool was not found (GATEWAY_TEST_PROMTOOL is not set and there is no promtool on the PATH). " +
            "Run build/test.sh, which installs Debian's 'prometheus' package and sets GATEWAY_TEST_PROMTOOL.");
        return null!;
    }

    /// <summary>Runs promtool with <paramref name="arguments"/>, feeding <paramref name="input"/> to its stdin.</summary>
    /// <returns>The exit code and everything it wrote to stdout and stderr.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
