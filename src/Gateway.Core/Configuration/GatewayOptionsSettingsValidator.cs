using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration;

/// <summary>Checks the ranges <see cref="GatewayOptions"/> declares with <see cref="WholeNumberSettingAttribute"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class GatewayOptionsSettingsValidator : IValidateOptions<GatewayOptions>;
