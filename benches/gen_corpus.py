#!/usr/bin/env python3
"""Generate a reproducible synthetic corpus for benchmarking `sumi scan`.

Standard library only (Python 3.11). The same seed gives byte-identical output.
Each file has its own RNG seeded from (seed, file index), so a smaller corpus is
exactly the first files of a larger one.

Modes
  gen_corpus.py [DIR] [--mb 100] [--file-mb 1]
      Writes about --mb megabytes (10^6 bytes) as files of about --file-mb each,
      under DIR/dNNN/doc-NNNNN.txt (100 files per sub-directory).
      Default DIR: <repo>/target/bench-corpus. Every 10th file (index % 10 == 9)
      is encoded as CP932 with CRLF line endings; the rest is UTF-8 with LF.
  gen_corpus.py [DIR] --big-log GB
      Writes ONE log file, DIR/access.log, of GB gigabytes (10^9 bytes; fractions
      allowed). Default DIR: <repo>/target/bench-biglog. It is built from a pool
      of 32 distinct 1 MB segments of access-log and application-log lines,
      repeated in a seeded random order, so Python's memory stays at ~32 MB.

The output is first written to DIR.tmp-<pid> and renamed at the end, so an
existing DIR (or DIR/access.log) is always complete. An existing output is kept
unless --force is given.

Line mix of the corpus (by lines, see Gen.__init__): ~60 % Japanese prose built
from the fragments below (half of those lines with random kanji/kana
substitutions), ~8 % prose led by a name ({姓}{名}様、…), ~4 % contact lines,
~4 % CSV rows, ~10 % English sentences (some with e-mail, phone, IP), ~7 %
date / order-number / amount / IP / version lines (and rare SSN, IBAN,
passport), ~1 % card numbers (70 % Luhn-valid), ~1 % マイナンバー (90 % valid
check digit), ~5 % blank. About 10 % of phones and postal codes are written
with full-width digits.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time

DEFAULT_SEED = 20240501
MB = 1_000_000
GB = 1_000_000_000
FILES_PER_DIR = 100
CP932_EVERY = 10  # file index % 10 == 9 -> CP932

# ---------------------------------------------------------------------------
# Text material (all of it must be encodable in CP932; checked at start-up).
# ---------------------------------------------------------------------------

SENTENCES = """
当社は、お客様の個人情報を適切に管理いたします。
個人情報の取得にあたっては、利用目的を明示します。
取得した個人情報は、利用目的の範囲内で利用します。
ご本人の同意なく第三者に提供することはありません。
ただし、法令に基づく場合はこの限りではありません。
個人情報の漏えい、滅失またはき損の防止に努めます。
安全管理措置を講じ、従業者を監督します。
委託先に対しては、必要かつ適切な監督を行います。
保有個人データの開示請求に対応いたします。
訂正、追加または削除のご請求を受け付けます。
利用停止のご請求については、所定の手続きにより対応します。
お問い合わせは、下記の窓口までご連絡ください。
個人情報保護方針は、必要に応じて改定することがあります。
改定後の方針は、当社ウェブサイトに掲載した時点から効力を生じます。
クッキーを使用して、閲覧履歴を取得する場合があります。
アクセスログは、サービス改善の目的で分析します。
統計データとして加工し、個人を特定できない形で利用します。
匿名加工情報を作成する場合は、法令の定める基準に従います。
仮名加工情報については、社内での分析にのみ利用します。
要配慮個人情報は、原則として取得いたしません。
個人情報保護委員会への報告が必要となる場合があります。
漏えい等の事案が発生した場合は、速やかにご本人に通知します。
外国にある第三者への提供については、別途同意を取得します。
共同利用する個人データの項目は、氏名、住所、電話番号です。
共同利用の管理責任者は、当社の個人情報保護管理者とします。
本人確認のため、運転免許証等の写しをご提出いただきます。
手数料として、一件あたり千円を申し受けます。
書面または電磁的方法により回答いたします。
保存期間を経過した個人情報は、遅滞なく消去します。
紙媒体の書類はシュレッダーで裁断し、廃棄します。
電子データは、復元できない方法で削除します。
アクセス権限は、業務上必要な者に限定しています。
従業者に対して、定期的に教育研修を実施しています。
情報システムには、不正アクセス対策を講じています。
入退室管理を行い、機器の盗難を防止しています。
持ち出し用の端末には、暗号化を施しています。
メールの誤送信を防ぐため、送信前の確認を徹底しています。
個人番号は、法令で定められた事務に限って利用します。
特定個人情報の取扱いについては、別に規程を定めています。
採用応募者の情報は、選考の目的にのみ使用します。
不採用となった方の書類は、責任を持って破棄します。
お客様からのお問い合わせ内容は、記録として保存することがあります。
通話内容は、品質向上のため録音させていただきます。
防犯カメラの映像は、一定期間経過後に上書きされます。
ご提供いただく情報は任意ですが、一部のサービスをご利用いただけない場合があります。
未成年の方は、保護者の同意を得たうえでご利用ください。
利用目的の通知を求められた場合は、遅滞なく通知します。
第三者提供の記録は、所定の期間保存します。
オプトアウトによる提供は行っておりません。
個人関連情報を受け取る場合は、本人の同意を確認します。
本件につきましては、担当部署にて確認中です。
ご不明な点がございましたら、お気軽にお問い合わせください。
何卒よろしくお願い申し上げます。
平素より格別のご高配を賜り、厚く御礼申し上げます。
先日はお忙しいところ、ありがとうございました。
見積書を添付いたしますので、ご確認ください。
請求書は月末締めの翌月末払いとなります。
納期については、改めてご連絡いたします。
発注書の控えを同封いたしました。
契約書の原本を二部お送りします。
押印のうえ、一部をご返送ください。
来期の予算案について、ご意見をいただければ幸いです。
売上は前年同期比で増加しました。
営業部と経理部で情報を共有してください。
新しい業務システムの導入を検討しています。
移行作業は週末に実施する予定です。
作業中はサービスを一時停止いたします。
ご迷惑をおかけして申し訳ございません。
担当者が不在のため、折り返しご連絡いたします。
資料の送付先を変更いたしました。
取引先の登録情報を更新してください。
経費精算は今月中に提出してください。
出張の申請は、事前に上長の承認が必要です。
在宅勤務の規程が改定されました。
勤怠の締め日は毎月二十日です。
社内報の原稿を募集しています。
年末年始の休業期間についてお知らせします。
新製品の発売日が決定しました。
品質管理部門から報告がありました。
顧客満足度の調査結果をまとめました。
問い合わせ件数は先月より減少しています。
サポート窓口の受付時間を延長します。
配送業者を変更することになりました。
在庫の確認をお願いします。
支払期日を過ぎておりますので、ご確認ください。
振込手数料はお客様のご負担となります。
口座情報に誤りがないか確認してください。
監査法人による監査が予定されています。
内部統制の評価を進めています。
規程の改定案を回覧します。
次回の打ち合わせは来週の水曜日に行います。
会議室は本社の三階を予約しました。
オンライン会議の招待を送付しました。
議事録を共有フォルダに保存しました。
前回の議題について、進捗を確認しました。
各部署からの報告を受けました。
課題の洗い出しを行いました。
対応方針について意見交換を行いました。
結論は次回に持ち越しとなりました。
担当者と期限を決めました。
資料は事前に目を通しておいてください。
出席者は営業部と開発部の担当者です。
欠席の場合は、事前にご連絡ください。
会議の冒頭で、目的を確認しました。
質疑応答の時間を設けました。
先方から追加の要望がありました。
スケジュールの見直しが必要です。
リスクの評価について議論しました。
予算の上限を確認しました。
今後の進め方について合意しました。
定例会議の開始時刻を変更します。
議題がある方は前日までにお知らせください。
ホワイトボードの内容を撮影して共有します。
録画データは社内限定で公開します。
会議の終了後、アンケートにご協力ください。
詳細は別途メールでお送りします。
懇親会の出欠を確認させてください。
来客用の駐車場を確保しました。
受付で名前をお伝えください。
入館証は当日お渡しします。
お客様の登録情報を確認いたしました。
ご登録のメールアドレス宛に確認メールを送信しました。
パスワードの再設定を受け付けました。
ログインできない場合は、サポートまでご連絡ください。
会員情報の変更手続きが完了しました。
退会手続きをご希望の場合は、マイページから操作してください。
ご注文の商品を発送いたしました。
お届けまで三日程度かかります。
返品をご希望の場合は、八日以内にご連絡ください。
商品に不備があった場合は、交換いたします。
キャンペーンの応募を締め切りました。
当選者の発表は、賞品の発送をもって代えさせていただきます。
アンケートにご協力いただき、ありがとうございます。
ご意見は今後のサービス向上に役立てます。
システムメンテナンスのお知らせです。
障害が発生し、一部の機能が利用できませんでした。
現在は復旧しております。
原因を調査し、再発防止策を講じます。
セキュリティ強化のため、二段階認証を導入しました。
不審なメールにご注意ください。
添付ファイルを開く前に、送信元を確認してください。
ウイルス対策ソフトを最新の状態に保ってください。
社外への持ち出しは禁止されています。
機密情報の取扱いに注意してください。
データのバックアップを毎日取得しています。
復旧手順を確認しておいてください。
担当窓口は以下のとおりです。
受付時間は平日の九時から十七時までです。
土日祝日は休業となります。
メールでのお問い合わせは、二十四時間受け付けています。
人事評価の面談を今月中に実施します。
評価シートは所定の様式で提出してください。
健康診断の結果は、本人に直接通知します。
扶養家族の変更があった場合は、人事部に届け出てください。
給与明細は電子データで配布します。
源泉徴収票の再発行を受け付けています。
退職者の情報は、一定期間経過後に削除します。
新入社員の研修日程をお知らせします。
社員証を紛失した場合は、速やかに届け出てください。
名刺の管理には十分注意してください。
顧客名簿を社外に持ち出してはいけません。
印刷した資料は、会議の後に回収します。
ファイルサーバーの整理を進めています。
共有フォルダのアクセス権を見直しました。
不要になったデータは、定期的に削除してください。
顧客情報の閲覧履歴は、定期的に点検しています。
委託契約には、秘密保持の条項を盛り込んでいます。
再委託を行う場合は、事前に書面で承諾を得ます。
個人データの取扱状況を、年に一度監査しています。
苦情の申出については、適切かつ迅速に処理します。
お問い合わせの際は、ご本人であることを確認させていただきます。
代理人による請求の場合は、委任状をご提出ください。
開示の結果は、原則として書面でお知らせします。
利用目的を変更する場合は、改めてお知らせします。
取得の際には、偽りその他不正の手段を用いません。
データの正確性を保つよう努めます。
不要となった個人データは、遅滞なく消去するよう努めます。
個人情報の取扱いに関する規程を整備しています。
責任者を置き、取扱状況を把握しています。
外部からの不正アクセスを監視しています。
事故が発生した場合の報告体制を整えています。
従業者と秘密保持に関する誓約書を交わしています。
端末の画面ロックを徹底してください。
パスワードは定期的に変更してください。
共有アカウントの利用は禁止されています。
本日の会議は予定どおり開催します。
開始時刻が三十分遅れますので、ご了承ください。
議事進行は総務部が担当します。
会議資料は印刷せずに画面で共有します。
前回の宿題事項について報告をお願いします。
次の議題に移ります。
本件は持ち帰って検討いたします。
関係者への展開をお願いします。
決定事項を全員に周知します。
反対意見はありませんでした。
先方の担当者が変更になりました。
後任の方をご紹介いただきました。
引き継ぎの資料を準備しています。
訪問日程の候補をお送りします。
ご都合のよい日時をお知らせください。
当日は受付までお越しください。
会場までの地図を添付いたします。
昼食は会場で用意いたします。
出席者名簿を作成しました。
名札を配布しますので、着用してください。
売掛金の回収状況を確認しました。
新規取引先の審査を行っています。
与信枠の見直しを検討しています。
仕入先から値上げの申し入れがありました。
価格改定のお知らせを送付しました。
納品書と請求書の金額が一致しません。
検収が完了しましたので、ご報告いたします。
年間契約の更新時期が近づいています。
解約の申し出は一か月前までにお願いします。
保守契約の内容を確認してください。
障害報告書を提出しました。
対応状況を随時お知らせします。
お客様への影響はありませんでした。
今後も品質の向上に努めてまいります。
ご理解とご協力をお願いいたします。
引き続きよろしくお願いいたします。
取り急ぎご報告まで。
ご確認のほど、よろしくお願いいたします。
お手数をおかけしますが、ご対応をお願いします。
以上、よろしくお願いいたします。
""".strip().splitlines()

CONNECTORS = """
なお、
また、
ただし、
つきましては、
お手数ですが、
恐れ入りますが、
念のため、
引き続き、
現在、
今後、
必要に応じて、
確認のうえ、
担当者より、
先日の件について、
社内で検討した結果、
ご多用のところ恐縮ですが、
誠に勝手ながら、
以下のとおり、
前回の会議で、
関係部署と調整のうえ、
本日の午後、
来月以降、
今回の変更により、
個人情報の取扱いについて、
法令に基づき、
お客様の利便性向上のため、
業務効率化の観点から、
契約の更新にあたり、
年度末に向けて、
監査の指摘を受けて、
取締役会の決議により、
事業部長の判断で、
総務部からの依頼で、
情報システム部の案内に従い、
繁忙期のため、
新年度より、
先方の都合により、
万一に備えて、
改めまして、
結果として、
""".strip().splitlines()

# JIS level-1 kanji used for random substitutions (all in CP932).
SUBST_KANJI = (
    "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党"
    "地合市業内相方四定今回新場金員九入選立開手米力学問高代明実円関決子動京全目表戦"
    "経通外最言氏現理調体化田当八六約主題下首意法不来作性的要用制治度務強気小七成期"
    "公持野協取都和統以機平総加山思家話世受区領多県続進正安設保改数記院女初北午指権"
    "心界支第産結百派点教報済書府活原先共得解名交資予川向際査勝面委告軍文反元重近千"
    "考判認画海参売利組知案道信策集在件団別物側任引使求所次水半品昨論計死官増係感特"
    "情投示変打男基私各始島直両朝革価式確村提運終挙果西勢減台広容必応演電歳住争談能"
    "無再位置企真流格有疑口過局少放税検藤町常校料沢裁状工建語球営空職証土与急止送援"
    "供可役構木割聞身費付施切由説転食比難防補車優夫研収断井何南石足違消境神番規術護"
)
HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3094))  # ぁ..ん
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30F7))  # ァ..ヶ
SUBST_POOL = SUBST_KANJI * 2 + HIRAGANA + KATAKANA  # kanji-heavy

# (kanji, katakana reading, romaji)
SURNAMES = [tuple(x.split()) for x in """
佐藤 サトウ sato|鈴木 スズキ suzuki|高橋 タカハシ takahashi|田中 タナカ tanaka|伊藤 イトウ ito
渡辺 ワタナベ watanabe|山本 ヤマモト yamamoto|中村 ナカムラ nakamura|小林 コバヤシ kobayashi
加藤 カトウ kato|吉田 ヨシダ yoshida|山田 ヤマダ yamada|佐々木 ササキ sasaki|山口 ヤマグチ yamaguchi
松本 マツモト matsumoto|井上 イノウエ inoue|木村 キムラ kimura|林 ハヤシ hayashi|斎藤 サイトウ saito
清水 シミズ shimizu|山崎 ヤマザキ yamazaki|森 モリ mori|池田 イケダ ikeda|橋本 ハシモト hashimoto
阿部 アベ abe|石川 イシカワ ishikawa|山下 ヤマシタ yamashita|中島 ナカジマ nakajima|石井 イシイ ishii
小川 オガワ ogawa|前田 マエダ maeda|岡田 オカダ okada|長谷川 ハセガワ hasegawa|藤田 フジタ fujita
後藤 ゴトウ goto|近藤 コンドウ kondo|村上 ムラカミ murakami|遠藤 エンドウ endo|青木 アオキ aoki
坂本 サカモト sakamoto|斉藤 サイトウ saito|福田 フクダ fukuda|太田 オオタ ota|西村 ニシムラ nishimura
藤井 フジイ fujii|金子 カネコ kaneko|岡本 オカモト okamoto|藤原 フジワラ fujiwara|中野 ナカノ nakano
三浦 ミウラ miura|原田 ハラダ harada|中川 ナカガワ nakagawa|松田 マツダ matsuda|竹内 タケウチ takeuchi
小野 オノ ono|田村 タムラ tamura|中山 ナカヤマ nakayama|和田 ワダ wada|石田 イシダ ishida
森田 モリタ morita|上田 ウエダ ueda|原 ハラ hara|柴田 シバタ shibata|酒井 サカイ sakai
工藤 クドウ kudo|横山 ヨコヤマ yokoyama|宮崎 ミヤザキ miyazaki|宮本 ミヤモト miyamoto|内田 ウチダ uchida
高木 タカギ takagi|安藤 アンドウ ando|島田 シマダ shimada|谷口 タニグチ taniguchi|大野 オオノ ono
高田 タカダ takada|丸山 マルヤマ maruyama|今井 イマイ imai|河野 コウノ kono|藤本 フジモト fujimoto
村田 ムラタ murata|武田 タケダ takeda|上野 ウエノ ueno|杉山 スギヤマ sugiyama|増田 マスダ masuda
小山 コヤマ koyama|大塚 オオツカ otsuka|平野 ヒラノ hirano|菅原 スガワラ sugawara|久保 クボ kubo
松井 マツイ matsui|千葉 チバ chiba|岩崎 イワサキ iwasaki|桜井 サクライ sakurai|木下 キノシタ kinoshita
野口 ノグチ noguchi|松尾 マツオ matsuo|菊地 キクチ kikuchi|野村 ノムラ nomura|新井 アライ arai
""".replace("\n", "|").strip("|").split("|")]

GIVEN_NAMES = [tuple(x.split()) for x in """
太郎 タロウ taro|次郎 ジロウ jiro|一郎 イチロウ ichiro|健 ケン ken|翔 ショウ sho|大輔 ダイスケ daisuke
拓也 タクヤ takuya|健太 ケンタ kenta|直樹 ナオキ naoki|誠 マコト makoto|浩 ヒロシ hiroshi
隆 タカシ takashi|剛 ツヨシ tsuyoshi|修 オサム osamu|学 マナブ manabu|和也 カズヤ kazuya
達也 タツヤ tatsuya|翔太 ショウタ shota|蓮 レン ren|大翔 ヒロト hiroto|悠真 ユウマ yuma
陽太 ヨウタ yota|湊 ミナト minato|樹 イツキ itsuki|亮 リョウ ryo|智也 トモヤ tomoya
雄一 ユウイチ yuichi|正人 マサト masato|秀樹 ヒデキ hideki|浩二 コウジ koji|花子 ハナコ hanako
陽子 ヨウコ yoko|恵子 ケイコ keiko|裕子 ユウコ yuko|美穂 ミホ miho|由美 ユミ yumi
直美 ナオミ naomi|真由美 マユミ mayumi|智子 トモコ tomoko|久美子 クミコ kumiko|明美 アケミ akemi
愛 アイ ai|彩 アヤ aya|美咲 ミサキ misaki|結衣 ユイ yui|陽菜 ヒナ hina|葵 アオイ aoi|凛 リン rin
さくら サクラ sakura|優子 ユウコ yuko|麻衣 マイ mai|千尋 チヒロ chihiro|彩香 アヤカ ayaka
奈々 ナナ nana|舞 マイ mai|沙織 サオリ saori|香織 カオリ kaori|恵 メグミ megumi|瞳 ヒトミ hitomi
綾乃 アヤノ ayano|美香 ミカ mika|理恵 リエ rie|早苗 サナエ sanae|幸子 サチコ sachiko
和子 カズコ kazuko|洋子 ヨウコ yoko|京子 キョウコ kyoko|典子 ノリコ noriko|純一 ジュンイチ junichi
哲也 テツヤ tetsuya|康弘 ヤスヒロ yasuhiro|昌平 ショウヘイ shohei|航 ワタル wataru|駿 シュン shun
颯太 ソウタ sota|悠斗 ユウト yuto|陸 リク riku|結菜 ユイナ yuina|芽依 メイ mei|紗希 サキ saki
""".replace("\n", "|").strip("|").split("|")]

WESTERN_NAMES = [
    ("John", "Smith"), ("Emily", "Johnson"), ("Michael", "Brown"), ("Sarah", "Davis"),
    ("David", "Wilson"), ("Laura", "Miller"), ("James", "Taylor"), ("Anna", "Moore"),
    ("Robert", "Anderson"), ("Linda", "Thomas"), ("Daniel", "Martin"), ("Karen", "White"),
    ("Paul", "Clark"), ("Maria", "Garcia"), ("Kevin", "Lee"), ("Jessica", "Walker"),
]

PLACES = """
東京都千代田区 東京都中央区 東京都港区 東京都新宿区 東京都渋谷区 東京都世田谷区 東京都品川区
東京都練馬区 東京都八王子市 神奈川県横浜市中区 神奈川県川崎市中原区 神奈川県相模原市
埼玉県さいたま市浦和区 埼玉県川口市 千葉県千葉市中央区 千葉県船橋市 大阪府大阪市北区
大阪府大阪市中央区 大阪府堺市堺区 大阪府豊中市 京都府京都市左京区 兵庫県神戸市中央区 兵庫県西宮市
愛知県名古屋市中区 愛知県豊田市 静岡県静岡市葵区 静岡県浜松市中央区 福岡県福岡市博多区
福岡県北九州市小倉北区 北海道札幌市中央区 北海道旭川市 宮城県仙台市青葉区 広島県広島市中区
岡山県岡山市北区 新潟県新潟市中央区 長野県長野市 石川県金沢市 熊本県熊本市中央区 鹿児島県鹿児島市
沖縄県那覇市 茨城県つくば市 栃木県宇都宮市 群馬県前橋市 岐阜県岐阜市 三重県津市 滋賀県大津市
奈良県奈良市 香川県高松市 愛媛県松山市 青森県青森市
""".split()
TOWNS = """
本町 中央 緑町 栄町 旭町 幸町 桜木町 東町 西町 南町 北町 大手町 神田 丸の内 青葉台 富士見
若葉 日の出町 松原 泉 春日 宮前 新町 元町 港町 朝日町 昭和町 平和台 山手町 天神
""".split()
BUILDINGS = """
第一ビル 中央ビル さくらマンション グリーンハイツ サンシャインコーポ 駅前ビル 青葉レジデンス
ひまわり荘 メゾン若葉 パークサイド東 リバーサイド西 シティタワー
""".split()

DOMAINS = [
    "example.com", "example.co.jp", "example.jp", "example.ne.jp", "mail.example.org",
    "corp.example.co.jp", "gmail.com", "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp",
    "outlook.jp", "icloud.com",
]

EN_PLAIN = [
    "The quarterly report is attached for your review.",
    "We updated our privacy policy to reflect recent changes in the law.",
    "Personal data will be retained only as long as necessary for the stated purpose.",
    "Do not share your password with anyone, including our staff.",
    "Thank you for your inquiry; a representative will reply within two business days.",
    "Please review the attached contract and sign it by Friday.",
    "The weekly sync is cancelled because of the holiday.",
    "All visitors must register at the front desk on arrival.",
    "Access to the customer database is limited to authorised staff.",
    "Our office will be closed from December 29 to January 3.",
    "Please submit your expense report before the end of the month.",
    "The migration to the new file server starts next weekend.",
    "Action items from the meeting are listed in the shared document.",
    "If you received this message in error, please delete it and notify the sender.",
    "Training on data protection is mandatory for all employees.",
    "The new release fixes several bugs reported by customers.",
]

AREA3 = "11 22 25 26 42 43 44 45 48 52 75 76 78 82 86 92 96 98 99".split()  # 0XX area codes
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ERAS = [("令和", 2019, 7), ("平成", 1989, 31), ("昭和", 1926, 64)]
HONORIFICS = ["様"] * 8 + ["さん", "殿"]
LABEL_SEPS = [": ", "：", " ", "　", "\t"]

PRODUCTS = ["ボールペン黒", "コピー用紙A4", "クリアファイル", "ノートパソコン", "USBメモリ", "付箋紙",
            "プリンタートナー", "会議用マイク", "名刺ケース", "ホチキス針"]

USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
    "python-requests/2.31.0",
]
PATHS = ["/", "/login", "/logout", "/mypage", "/api/v1/orders", "/api/v1/users", "/static/app.js",
         "/static/style.css", "/contact", "/search", "/favicon.ico", "/healthz"]
STATUSES = [200] * 12 + [301, 302, 304, 400, 401, 403, 404, 404, 500, 503]
HALF_TO_FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
FULL_TO_HALF = str.maketrans("０１２３４５６７８９－", "0123456789-")


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------

class Gen:
    """Line generator; all randomness comes from one seeded random.Random."""

    def __init__(self, seed: int):
        r = random.Random(seed)
        self.r = r
        self.rand = r.random
        self.choice = r.choice
        self.randint = r.randint
        # line type table: index with int(random() * 100)
        mix = [
            (self.prose, 60), (self.name_prose, 8), (self.contact, 4), (self.csv_row, 4),
            (self.english, 10), (self.structured, 7), (self.card, 1), (self.my_number, 1),
            (self.blank, 5),
        ]
        table = []
        for fn, w in mix:
            table += [fn] * w
        assert len(table) == 100
        self.table = table

    def line(self) -> str:
        return self.table[int(self.rand() * 100)]()

    # -- building blocks ---------------------------------------------------
    def digits(self, n: int) -> str:
        return str(self.r.randrange(10 ** n)).zfill(n)

    def maybe_fullwidth(self, s: str) -> str:
        return s.translate(HALF_TO_FULL) if self.rand() < 0.10 else s

    def person(self):
        return self.choice(SURNAMES), self.choice(GIVEN_NAMES)

    def reading(self, sei, mei, sep=" ") -> str:
        kana = sei[1] + sep + mei[1]
        if self.rand() < 0.35:  # hiragana reading
            kana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)
        return kana

    def email(self, sei=None, mei=None) -> str:
        if sei is None:
            sei, mei = self.person()
        x = self.rand()
        if x < 0.4:
            local = f"{mei[2]}.{sei[2]}"
        elif x < 0.7:
            local = f"{sei[2]}{self.randint(1, 999)}"
        elif x < 0.85:
            local = f"{mei[2][0]}-{sei[2]}"
        else:
            local = f"{sei[2]}_{mei[2]}{self.randint(60, 99)}"
        return f"{local}@{self.choice(DOMAINS)}"

    def phone(self) -> str:
        x = self.rand()
        if x < 0.35:
            s = f"0{self.choice('36')}-{self.digits(4)}-{self.digits(4)}"
        elif x < 0.55:
            s = f"0{self.choice(AREA3)}-{self.digits(3)}-{self.digits(4)}"
        elif x < 0.80:
            s = f"0{self.choice('789')}0-{self.digits(4)}-{self.digits(4)}"
        elif x < 0.88:
            s = f"0{self.choice('789')}0{self.digits(8)}"
        elif x < 0.93:
            s = f"0120-{self.digits(3)}-{self.digits(3)}"
        elif x < 0.97:
            s = f"+81-{self.choice('3969')}0-{self.digits(4)}-{self.digits(4)}"
        else:
            s = f"03({self.digits(4)}){self.digits(4)}"
        return self.maybe_fullwidth(s)

    def postal(self) -> str:
        return self.maybe_fullwidth(f"{self.digits(3)}-{self.digits(4)}")

    def address(self) -> str:
        a = self.choice(PLACES) + self.choice(TOWNS)
        x = self.rand()
        if x < 0.5:
            a += f"{self.randint(1, 5)}-{self.randint(1, 30)}-{self.randint(1, 20)}"
        elif x < 0.8:
            a += f"{self.randint(1, 5)}丁目{self.randint(1, 30)}番{self.randint(1, 20)}号"
        else:
            a += f"{self.randint(1, 999)}番地"
        if self.rand() < 0.4:
            b = self.choice(BUILDINGS)
            a += f" {b}{self.randint(1, 12)}階" if b.endswith("ビル") else f" {b}{self.randint(101, 905)}号室"
        return a

    def ipv4(self) -> str:
        x = self.rand()
        if x < 0.4:
            return f"192.168.{self.randint(0, 255)}.{self.randint(1, 254)}"
        if x < 0.6:
            return f"10.{self.randint(0, 255)}.{self.randint(0, 255)}.{self.randint(1, 254)}"
        return f"{self.randint(1, 223)}.{self.randint(0, 255)}.{self.randint(0, 255)}.{self.randint(1, 254)}"

    def ymd(self):
        return self.randint(1950, 2025), self.randint(1, 12), self.randint(1, 28)

    def date_text(self) -> str:
        y, m, d = self.ymd()
        x = self.rand()
        if x < 0.35:
            return f"{y}/{m:02d}/{d:02d}"
        if x < 0.5:
            return f"{y}-{m:02d}-{d:02d}"
        if x < 0.8:
            return f"{y}年{m}月{d}日"
        era, start, maxy = self.choice(ERAS)
        ey = self.randint(1, maxy)
        return f"{era}{'元' if ey == 1 and self.rand() < 0.5 else ey}年{m}月{d}日"

    def iso_ts(self) -> str:
        y, m, d = self.ymd()
        tz = self.choice(["Z", "+09:00", "+0900", ""])
        return f"{y}-{m:02d}-{d:02d}T{self.randint(0, 23):02d}:{self.randint(0, 59):02d}:{self.randint(0, 59):02d}{tz}"

    def sentences(self, lo: int, hi: int) -> str:
        parts = []
        for _ in range(self.randint(lo, hi)):
            if self.rand() < 0.3:
                parts.append(self.choice(CONNECTORS))
            parts.append(self.choice(SENTENCES))
        return "".join(parts)

    def mutate(self, s: str) -> str:
        chars = list(s)
        n = len(chars)
        for _ in range(self.randint(1, 4)):
            chars[int(self.rand() * n)] = self.choice(SUBST_POOL)
        return "".join(chars)

    # -- line types --------------------------------------------------------
    def prose(self) -> str:
        s = self.sentences(1, 4)
        return self.mutate(s) if self.rand() < 0.5 else s

    def name_prose(self) -> str:
        sei, mei = self.person()
        return f"{sei[0]}{mei[0]}{self.choice(HONORIFICS)}、{self.sentences(1, 3)}"

    def contact(self) -> str:
        sei, mei = self.person()
        sep = self.choice(LABEL_SEPS)
        x = self.rand()
        if x < 0.35:
            return (f"氏名{sep}{sei[0]} {mei[0]}（{self.reading(sei, mei)}） 〒{self.postal()} {self.address()} "
                    f"TEL{sep}{self.phone()} メール{sep}{self.email(sei, mei)}")
        if x < 0.6:
            return (f"{sei[0]}{mei[0]}　{self.reading(sei, mei, '　')}　〒{self.postal()}　{self.address()}　"
                    f"{self.phone()}　{self.email(sei, mei)}")
        if x < 0.8:
            return (f"お名前{sep}{sei[0]} {mei[0]} / フリガナ{sep}{self.reading(sei, mei)} / 住所{sep}〒{self.postal()} "
                    f"{self.address()} / 電話{sep}{self.phone()} / Email{sep}{self.email(sei, mei)}")
        return "\t".join([sei[0] + mei[0], self.reading(sei, mei, ""), self.postal(), self.address(),
                          self.phone(), self.email(sei, mei)])

    def csv_row(self) -> str:
        if self.rand() < 0.35:  # non-personal business row
            y, m, d = self.ymd()
            return (f"SKU-{self.digits(5)},{self.choice(PRODUCTS)},{self.randint(80, 250000)},"
                    f"{self.randint(0, 500)},{y}/{m:02d}/{d:02d}")
        sei, mei = self.person()
        y, m, d = self.ymd()
        fields = [str(self.randint(1, 999999)), sei[0], mei[0], sei[1], mei[1],
                  f"{y}/{m:02d}/{d:02d}", self.phone(), self.email(sei, mei),
                  f"{self.postal()}", self.address(), self.choice(["男", "女", ""])]
        if self.rand() < 0.3:
            return ",".join(f'"{f}"' for f in fields)
        return ",".join(fields)

    def english(self) -> str:
        x = self.rand()
        if x < 0.45:
            return self.choice(EN_PLAIN)
        if self.rand() < 0.5:
            first, last = self.choice(WESTERN_NAMES)
        else:
            sei, mei = self.person()
            first, last = mei[2].capitalize(), sei[2].capitalize()
        mail = f"{first.lower()}.{last.lower()}@{self.choice(DOMAINS)}"
        x = self.rand()
        if x < 0.18:
            return f"Please contact {first} {last} at {mail} if you have any questions."
        if x < 0.30:
            return f"The meeting with {first} {last} has been moved to {self.choice(WEEKDAYS)}."
        if x < 0.42:
            return f"Call our support line at +81-3-{self.digits(4)}-{self.digits(4)} between 9am and 5pm."
        if x < 0.54:
            return f"Login failed for user {mail} from {self.ipv4()}."
        if x < 0.64:
            return f"Connection from {self.ipv4()} was rejected by the firewall."
        if x < 0.72:
            return f"For urgent matters, call {first} at +1 {self.digits(3)}-{self.digits(3)}-{self.digits(4)}."
        if x < 0.80:
            return f"Employee {first} {last} (ID E{self.digits(6)}) joined the Tokyo office on {self.date_text()}."
        if x < 0.88:
            return f"Invoice INV-{self.digits(6)} is due on {self.randint(2023, 2026)}-{self.randint(1, 12):02d}-{self.randint(1, 28):02d}."
        if x < 0.95:
            return f"Backups completed successfully at {self.iso_ts()}."
        return f"Your order #{self.digits(8)} has been shipped to {first} {last}."

    def structured(self) -> str:
        x = self.rand()
        if x < 0.22:
            return f"{self.choice(['作成日', '更新日', '生年月日', '登録日', '契約日', '発行日'])}{self.choice(LABEL_SEPS)}{self.date_text()}"
        if x < 0.30:
            return f"更新日時: {self.iso_ts()}"
        if x < 0.42:
            return self.choice([
                f"注文番号: ORD-{self.randint(2020, 2025)}{self.randint(1, 12):02d}{self.randint(1, 28):02d}-{self.digits(5)}",
                f"受注No. {self.digits(6)}-{self.digits(2)}",
                f"Order #{self.choice('ABCDEFGH')}{self.digits(7)}",
                f"伝票番号 {self.digits(4)}-{self.digits(4)}-{self.digits(4)}",
            ])
        if x < 0.54:
            return self.choice([
                f"金額: {self.randint(100, 999999):,}円",
                f"合計 ￥{self.randint(1000, 9999999):,}（税込）",
                f"Amount: ${self.randint(1, 99999):,}.{self.digits(2)}",
                f"お支払い金額 {self.randint(100, 99999)}円（送料{self.choice(['無料', '500円', '880円'])}）",
            ])
        if x < 0.66:
            return self.choice([
                f"接続元IP: {self.ipv4()}",
                f"src={self.ipv4()} dst={self.ipv4()} port={self.randint(1, 65535)}",
                f"サーバー {self.ipv4()} へのアクセスを許可しました。",
            ])
        if x < 0.78:
            return self.choice([
                f"バージョン {self.randint(1, 9)}.{self.randint(0, 20)}.{self.randint(0, 30)}",
                f"version {self.randint(1, 9)}.{self.randint(0, 20)}.{self.randint(0, 30)}.{self.randint(0, 999)}",
                f"build {self.randint(2020, 2025)}.{self.randint(1, 12):02d}.{self.randint(1, 28):02d}",
                f"ファームウェア v{self.randint(1, 5)}.{self.randint(0, 9)}.{self.randint(0, 9)} を適用しました。",
            ])
        if x < 0.90:
            y, m, d = self.ymd()
            return (f"[{y}-{m:02d}-{d:02d} {self.randint(0, 23):02d}:{self.randint(0, 59):02d}:{self.randint(0, 59):02d}] "
                    f"INFO request_id={self.digits(10)} status={self.choice(STATUSES)} elapsed={self.randint(1, 999)}ms")
        if x < 0.94:
            return f"旅券番号{self.choice(LABEL_SEPS)}{self.choice(['TK', 'TR', 'MZ', 'TZ', 'AZ'])}{self.digits(7)}"
        if x < 0.97:
            return f"SSN: {self.randint(100, 899)}-{self.digits(2)}-{self.digits(4)}"
        cc = self.choice(["DE", "GB", "FR", "NL"])
        bban = self.digits(18)
        groups = " ".join(bban[i:i + 4] for i in range(0, len(bban), 4))
        return f"IBAN: {cc}{self.digits(2)} {groups}"

    def card(self) -> str:
        prefix = self.choice(["4", "4", "51", "52", "53", "54", "55", "35", "3528", "6011"])
        body = prefix + self.digits(15 - len(prefix))
        total = 0
        for i, ch in enumerate(reversed(body)):  # positions from the right, check digit excluded
            v = ord(ch) - 48
            if i % 2 == 0:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        cd = (10 - total % 10) % 10
        if self.rand() >= 0.70:  # 30 % invalid
            cd = (cd + self.randint(1, 9)) % 10
        num = body + str(cd)
        sep = self.choice(["", " ", "-"])
        if sep:
            num = sep.join(num[i:i + 4] for i in range(0, 16, 4))
        label = self.choice(["カード番号: ", "クレジットカード番号：", "Card number: ", "card=", "カード "])
        return label + num + self.choice(["", "", "（有効期限 12/27）", " exp 08/26"])

    def my_number(self) -> str:
        d = self.digits(11)
        w = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
        s = sum(int(c) * k for c, k in zip(d, w))
        cd = (-s) % 11 % 10
        if self.rand() >= 0.90:  # 10 % invalid
            cd = (cd + self.randint(1, 9)) % 10
        num = d + str(cd)
        sep = self.choice(["", " ", "-"])
        if sep:
            num = sep.join(num[i:i + 4] for i in range(0, 12, 4))
        label = self.choice(["マイナンバー: ", "個人番号：", "個人番号 ", "My Number: ", "マイナンバー（個人番号）"])
        return label + num

    def blank(self) -> str:
        return ""

    # -- big log -----------------------------------------------------------
    def log_line(self) -> str:
        x = self.rand()
        y, m, d = self.randint(2023, 2025), self.randint(1, 12), self.randint(1, 28)
        hh, mm, ss = self.randint(0, 23), self.randint(0, 59), self.randint(0, 59)
        if x < 0.65:  # combined access log
            user = "-" if self.rand() < 0.7 else self.email()
            path = self.choice(PATHS)
            q = self.rand()
            if q < 0.10:
                path += f"?email={self.email()}"
            elif q < 0.15:
                path += f"?tel={self.phone().translate(FULL_TO_HALF)}"
            elif q < 0.30:
                path += f"?page={self.randint(1, 50)}&sort=date"
            return (f'{self.ipv4()} - {user} [{d:02d}/{MONTHS[m - 1]}/{y}:{hh:02d}:{mm:02d}:{ss:02d} +0900] '
                    f'"{self.choice(["GET", "GET", "GET", "POST"])} {path} HTTP/1.1" {self.choice(STATUSES)} '
                    f'{self.randint(200, 80000)} "https://www.example.co.jp/" "{self.choice(USER_AGENTS)}"')
        ts = f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{self.digits(3)}+09:00"
        lvl = self.choice(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"])
        head = f"{ts} {lvl} [worker-{self.randint(1, 16)}]"
        if x < 0.75:
            sei, mei = self.person()
            return f"{head} 会員登録: 氏名={sei[0]}{mei[0]} 電話={self.phone()} メール={self.email(sei, mei)}"
        if x < 0.80:
            return f"{head} 配送先更新: 〒{self.postal()} {self.address()}"
        body = self.line()
        return f"{head} {body}" if body else f"{head} heartbeat ok"


def check_cp932() -> None:
    """Every piece of text material must be encodable in CP932 (strict)."""
    pools = [SENTENCES, CONNECTORS, SUBST_POOL, PLACES, TOWNS, BUILDINGS, PRODUCTS, HONORIFICS,
             LABEL_SEPS, [c for t in SURNAMES + GIVEN_NAMES for c in t], ["〒（）　￥０－"]]
    for pool in pools:
        for s in pool:
            try:
                s.encode("cp932")
            except UnicodeEncodeError as e:
                sys.exit(f"gen_corpus: not CP932-encodable: {s!r}: {e}")


def file_text(seed: int, index: int, target_bytes: int, cp932: bool) -> bytes:
    g = Gen(seed * 1_000_003 + index)
    enc = "cp932" if cp932 else "utf-8"
    nl = "\r\n" if cp932 else "\n"
    extra = len(nl)
    lines = []
    size = 0
    line = g.line
    while size < target_bytes:
        s = line()
        lines.append(s)
        size += len(s.encode(enc)) + extra  # strict: raises if not encodable
    return (nl.join(lines) + nl).encode(enc)


def write_corpus(out: str, total_mb: float, file_mb: float, seed: int, quiet: bool) -> None:
    total = int(total_mb * MB)
    per_file = max(1000, int(file_mb * MB))
    tmp = f"{out}.tmp-{os.getpid()}"
    os.makedirs(tmp)
    written = 0
    i = 0
    t0 = time.monotonic()
    while written < total:
        sub = os.path.join(tmp, f"d{i // FILES_PER_DIR:03d}")
        if i % FILES_PER_DIR == 0:
            os.makedirs(sub, exist_ok=True)
        data = file_text(seed, i, per_file, i % CP932_EVERY == CP932_EVERY - 1)
        with open(os.path.join(sub, f"doc-{i:05d}.txt"), "wb") as f:
            f.write(data)
        written += len(data)
        i += 1
        if not quiet and i % 20 == 0:
            print(f"  {written / MB:8.1f} MB, {i} files, {time.monotonic() - t0:5.1f} s", file=sys.stderr)
    os.rename(tmp, out)
    if not quiet:
        print(f"gen_corpus: wrote {written:,} bytes in {i} files to {out} "
              f"({time.monotonic() - t0:.1f} s, seed {seed})", file=sys.stderr)


def write_big_log(out: str, gigabytes: float, seed: int, quiet: bool, pool_size: int = 32) -> None:
    total = int(gigabytes * GB)
    seg_bytes = MB
    t0 = time.monotonic()
    pool = []
    for k in range(pool_size):
        g = Gen(seed * 1_000_003 + 900_000 + k)
        lines, size = [], 0
        while size < seg_bytes:
            s = g.log_line()
            lines.append(s)
            size += len(s.encode("utf-8")) + 1
        pool.append(("\n".join(lines) + "\n").encode("utf-8"))
    order = random.Random(seed + 7)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "access.log")
    tmp = f"{path}.tmp-{os.getpid()}"
    written = 0
    n = 0
    with open(tmp, "wb") as f:
        while written < total:
            seg = pool[order.randrange(pool_size)]
            left = total - written
            if len(seg) > left:
                cut = seg.rfind(b"\n", 0, left)
                if cut < 0:
                    break
                seg = seg[:cut + 1]
            f.write(seg)
            written += len(seg)
            n += 1
            if not quiet and n % 200 == 0:
                print(f"  {written / GB:6.2f} GB, {time.monotonic() - t0:5.1f} s", file=sys.stderr)
    os.rename(tmp, path)
    if not quiet:
        print(f"gen_corpus: wrote {written:,} bytes to {path} ({time.monotonic() - t0:.1f} s, seed {seed})",
              file=sys.stderr)


def main() -> None:
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", help="output directory (default: <repo>/target/bench-corpus, "
                                           "or <repo>/target/bench-biglog with --big-log)")
    ap.add_argument("--mb", type=float, default=100, help="total corpus size in MB (10^6 bytes), default 100")
    ap.add_argument("--file-mb", type=float, default=1, help="size of each file in MB, default 1")
    ap.add_argument("--big-log", type=float, metavar="GB",
                    help="instead write ONE log file DIR/access.log of GB gigabytes (10^9 bytes)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"RNG seed, default {DEFAULT_SEED}")
    ap.add_argument("--force", action="store_true", help="replace an existing output")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args()
    check_cp932()

    if a.big_log is not None:
        out = a.dir or os.path.join(repo, "target", "bench-biglog")
        path = os.path.join(out, "access.log")
        if os.path.exists(path):
            if not a.force:
                sys.exit(f"gen_corpus: {path} exists (use --force to replace it)")
            os.remove(path)
        write_big_log(out, a.big_log, a.seed, a.quiet)
        return

    out = a.dir or os.path.join(repo, "target", "bench-corpus")
    if os.path.exists(out):
        if not a.force:
            sys.exit(f"gen_corpus: {out} exists (use --force to replace it)")
        shutil.rmtree(out)
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    write_corpus(out, a.mb, a.file_mb, a.seed, a.quiet)


if __name__ == "__main__":
    main()
