using Gateway.Core.Storage.Rag;
using Microsoft.Extensions.Options;
using Env = Gateway.Core.Chat.Retrieval.ChatContextEnvironmentVariables;

namespace Gateway.Core.Chat.Retrieval;

/// <summary>Checks <see cref="ChatContextOptions"/> at start-up and reports every problem at once, each naming the variable and what is expected.</summary>
internal sealed class ChatContextOptionsValidator : IValidateOptions<ChatContextOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.DefaultK is < 1 or > RagRules.MaxK)
        {
            errors.Add($"{Env.DefaultK}: expected a whole number from 1 to {RagRules.MaxK}, got {options.DefaultK}.");
        }

        if (options.MinScore is { } minScore && !double.IsFinite(minScore))
        {
            errors.Add($"{ChatContextOptions.SectionName}:{nameof(ChatContextOptions.MinScore)}: expected a finite number, got {minScore}.");
        }

        if (options.Template?.Contains(ChatContextOptions.PassagesPlaceholder, StringComparison.Ordinal) != true)
        {
            errors.Add($"{Env.Template}: expected a template that holds {ChatContextOptions.PassagesPlaceholder}, where the passages go.");
        }

        if (options.PassageTemplate?.Contains(ChatContextOptions.TextPlaceholder, StringComparison.Ordinal) != true)
        {
            errors.Add($"{Env.PassageTemplate}: expected a template that holds {ChatContextOptions.TextPlaceholder}, where the passage's text goes.");
        }

        if (string.IsNullOrWhiteSpace(options.NothingFoundInstruction))
        {
            errors.Add($"{Env.NothingFoundInstruction}: expected the instruction the model gets when no passage is relevant.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
