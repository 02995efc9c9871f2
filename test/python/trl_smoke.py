"""A few steps of TRL's SFTTrainer and DPOTrainer on an exported dataset folder, on CPU.

Run by hand, not in CI (TRL and torch are large):
    python3 -m venv .venv-trl && .venv-trl/bin/pip install torch==2.13.0 trl transformers datasets
    .venv-trl/bin/python test/python/trl_smoke.py EXPORT_DIR

No model is downloaded: a tiny Llama is built from a config, with a BPE tokenizer trained on the
export's own text and a minimal chat template, so what is checked is that TRL takes our files as
they are — `prompt_completion` for SFT, `preference` for DPO — and computes finite losses.
"""
import copy
import math
import sys
import tempfile

import datasets
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
from trl import DPOConfig, DPOTrainer, SFTConfig, SFTTrainer

CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}</s>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def tiny_tokenizer(texts):
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    specials = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=2000, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>")
    fast.chat_template = CHAT_TEMPLATE
    return fast


def tiny_model(vocab):
    config = LlamaConfig(vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=2048)
    return LlamaForCausalLM(config)


def losses(trainer):
    return [round(entry["loss"], 4) for entry in trainer.state.log_history if "loss" in entry]


def main(folder):
    sft_data = datasets.load_dataset(folder, "prompt_completion", split="train")
    dpo_data = datasets.load_dataset(folder, "preference", split="train")
    texts = [m["content"] for row in sft_data for m in row["prompt"] + row["completion"]]
    tokenizer = tiny_tokenizer(texts)
    common = dict(max_steps=4, per_device_train_batch_size=2, logging_steps=1, report_to=[], save_strategy="no", use_cpu=True, learning_rate=1e-3)
    with tempfile.TemporaryDirectory() as out:
        sft = SFTTrainer(model=tiny_model(len(tokenizer)), args=SFTConfig(output_dir=f"{out}/sft", max_length=512, **common), train_dataset=sft_data, processing_class=tokenizer)
        sft.train()
        policy = tiny_model(len(tokenizer))
        # A model built from a config has no hub path to load the reference from: pass a frozen copy.
        dpo = DPOTrainer(model=policy, ref_model=copy.deepcopy(policy), args=DPOConfig(output_dir=f"{out}/dpo", max_length=512, **common), train_dataset=dpo_data, processing_class=tokenizer)
        dpo.train()
    result = {"sft_rows": sft_data.num_rows, "sft_losses": losses(sft), "dpo_rows": dpo_data.num_rows, "dpo_losses": losses(dpo)}
    print(result)
    if not result["sft_losses"] or not result["dpo_losses"] or not all(math.isfinite(x) for x in result["sft_losses"] + result["dpo_losses"]):
        raise SystemExit("a trainer logged no loss, or a loss that is not finite")


if __name__ == "__main__":
    main(sys.argv[1])
