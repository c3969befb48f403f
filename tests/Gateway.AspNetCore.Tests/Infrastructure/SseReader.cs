namespace Gateway.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A deliberately literal SSE reader for tests: it checks the framing byte for byte (lines end in
/// \n, events end with a blank line) rather than trusting a lenient parser.
/// </summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return new SseEvent(name, string.Join('\n', data));
                }

                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
            else if (!line.StartsWith(':'))
            {
                throw new InvalidDataException($"Not an SSE line: '{line}'");
            }
        }

        if (data.Count > 0)
        {
            throw new InvalidDataException("The stream ended inside an event (no blank line after it).");
        }
    }

    public static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        await foreach (var item in ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(item);
        }

        return events;
    }
}
