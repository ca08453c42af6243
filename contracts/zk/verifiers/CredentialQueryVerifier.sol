// SPDX-License-Identifier: GPL-3.0
/*
    Copyright 2021 0KIMS association.

    This file is generated with [snarkJS](https://github.com/iden3/snarkjs).

    snarkJS is a free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by
    the Free Software Foundation, either version 3 of the License, or
    (at your option) any later version.

    snarkJS is distributed in the hope that it will be useful, but WITHOUT
    ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
    or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
    License for more details.

    You should have received a copy of the GNU General Public License
    along with snarkJS. If not, see <https://www.gnu.org/licenses/>.
*/

pragma solidity >=0.7.0 <0.9.0;

contract CredentialQueryVerifier {
    // Scalar field size
    uint256 constant r    = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Base field size
    uint256 constant q   = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // Verification Key data
    uint256 constant alphax  = 17604088092683471152314831684091177628516572453051571363566594641046980166161;
    uint256 constant alphay  = 5953384422628131145142370479268393348756103854031637868303706859147728676838;
    uint256 constant betax1  = 968952319469569044887313675147736825817354106025296189909597102258124628324;
    uint256 constant betax2  = 16947048798647053007782644644009447451915952520463864535242209167729051935093;
    uint256 constant betay1  = 10439994457042910411991156400845892947217998152491252091595326874722718344316;
    uint256 constant betay2  = 13068962456952163231208446577880770699339432633627605476835913029116846755957;
    uint256 constant gammax1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 constant gammax2 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 constant gammay1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 constant gammay2 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 constant deltax1 = 13774174285912795126441508575111842933586589365630321988047808212800689452654;
    uint256 constant deltax2 = 1535707363164189478940865734177722650447156023778003358274357188527247306203;
    uint256 constant deltay1 = 21372514072514342526446669593776705934509805061887775858175295393485822294342;
    uint256 constant deltay2 = 21231052972084989367066214072211652976754796134319249443712133941909378059451;

    
    uint256 constant IC0x = 10473222063505718983451602832142999290405856459128022400191070941665723438738;
    uint256 constant IC0y = 13228121224400905775876837425832754225277311675376716856560517353455015197934;
    
    uint256 constant IC1x = 8984336192402853915955533737761030689538767643155204489293140022187063249211;
    uint256 constant IC1y = 18319012966466270985302657057953632333681106926021734377649203989279968193036;
    
    uint256 constant IC2x = 11993206381116781908697968471265803947205494036823948268769802964618568824865;
    uint256 constant IC2y = 13086144756043142864818191060490995401790597460594894522466942347858510127304;
    
    uint256 constant IC3x = 15778017283371681552048892043081208480221243704953754981690103452743885318701;
    uint256 constant IC3y = 17666285529898467479046431500042549572314612193701261344032550768245196071715;
    
    uint256 constant IC4x = 9976771868839315749984193243025973804642438044299757194031715490667749364630;
    uint256 constant IC4y = 7171261982703818354275464171847361275785269616735349048161826078190920694022;
    
    uint256 constant IC5x = 14629236526321929883297810803139405643040164617251177719044918233843132211987;
    uint256 constant IC5y = 977435391667565295213844280868829698723228706623645333425850328191179382182;
    
    uint256 constant IC6x = 8488333524487849213969766687357070289848262824068128442821385970171523041717;
    uint256 constant IC6y = 16310974313370571983857574536762519543606424081053217705152752096379621427153;
    
    uint256 constant IC7x = 18256220819021423870663166870815731317258487701108004181682380513983814419960;
    uint256 constant IC7y = 20720786950290000100073774068098027413327728869265495346360801330149704951631;
    
    uint256 constant IC8x = 7865721371842176846629858587218500562900387560455625038286472198184009383745;
    uint256 constant IC8y = 4736625031882469698777925500154080956324445401936468356683088761201471743456;
    
    uint256 constant IC9x = 16843541317431182856555260504853016267404794650098382983979611301240144128384;
    uint256 constant IC9y = 12741028699969187692370922134243649628091157431434861249412622064137859405635;
    
    uint256 constant IC10x = 16469316669922864450950315097375290418027767131988112938524384966457458532247;
    uint256 constant IC10y = 18008905724946920287264869952288454674495777809758991027949334549707212345265;
    
    uint256 constant IC11x = 8056447308189697310304251968836343426961988171911042624142492578536938065414;
    uint256 constant IC11y = 18403779037702202883398224740231119366245312995618049718192275464620799916677;
    
    uint256 constant IC12x = 17431748185764196583185536594084513128166516875780029541266039983488261030715;
    uint256 constant IC12y = 14315786031379746568468661967059915169539196647338506739130252214787192809799;
    
    uint256 constant IC13x = 9512351223894872406381571467711179028490441643815514942756639337770876678859;
    uint256 constant IC13y = 9564743120744622552515730752029576826949346870389874081427220252500519642122;
    
    uint256 constant IC14x = 13432858597874589596057467318964177067468423777124953630443070418648890593919;
    uint256 constant IC14y = 8501419416186399352341446670851515156444707203790911740502859080059377019599;
    
    uint256 constant IC15x = 1672642931782612951385732017930179278514565265016313780581150037282622627802;
    uint256 constant IC15y = 1031483222800784781954459752139889179543695512361551380163215265687693755369;
    
    uint256 constant IC16x = 9672107799779558658800217359571258699239836382528221819343238265669613548837;
    uint256 constant IC16y = 5732431903952677969650058082904583747162643595616192291150120171894546683281;
    
    uint256 constant IC17x = 15170896839079453281170548526057247128750081633586630658743976518689133554283;
    uint256 constant IC17y = 2859658520504053052261763822817505593503638519932234782650506794423884920421;
    
    uint256 constant IC18x = 16388678621133949874008110365501300506847712728699564955769369035164629250624;
    uint256 constant IC18y = 8629581249577750335034555254098289713506748147606217107144451986948943236195;
    
    uint256 constant IC19x = 14817329142581299191292846107051233374839662928033012961493773164147720858070;
    uint256 constant IC19y = 3864826827081730913691102400972867633421456197590606029195011710786036245726;
    
    uint256 constant IC20x = 13077768762249762423789274199997263168780479096974654862523537748617371375456;
    uint256 constant IC20y = 21449278624472322259542869289216412509611720931573501330664663925610398305031;
    
    uint256 constant IC21x = 4800426268036862714801135234512093838856224263126738534362967933216908673343;
    uint256 constant IC21y = 14686831310387989684456742816267545489745247366775875978798123564375062869637;
    
    uint256 constant IC22x = 19606372707974687682889408204550825174649680542592659493396681073886281391822;
    uint256 constant IC22y = 48972825284057990407161990358523785896945929167663130309717301885382614512;
    
    uint256 constant IC23x = 20035078457446942605482435998104534912406436639612692361649468676946306449060;
    uint256 constant IC23y = 12319355240293629979126449605601549582460872657453711667363777122722456705547;
    
    uint256 constant IC24x = 14051814640008143098632277036012695686731626810931195532037221996451024274735;
    uint256 constant IC24y = 7290792143444243207811124440218067697724733496443217759502638765846835374352;
    
    uint256 constant IC25x = 2248810963231555140429933246432214686922969604414653946756357990908602438391;
    uint256 constant IC25y = 5423989483027927245842133069108680489374493711319382137712428331484922946748;
    
    uint256 constant IC26x = 21390986317724097244380435661247625437057693092535988867198729792315691284972;
    uint256 constant IC26y = 20288614396323750969817472705781156293896990746186696867475928539074092586047;
    
    uint256 constant IC27x = 8091994578978461383712807772412732725817439968481933107883337169528049743943;
    uint256 constant IC27y = 10542888382824081493341279769363429694389402488867521195313436442810538990028;
    
    uint256 constant IC28x = 12023161395849073128042024745758238507895216182739984265465882634813645099523;
    uint256 constant IC28y = 15743888119263098526102180039464428407686682573043448850863128160286742521845;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[28] calldata _pubSignals) public view returns (bool) {
        assembly {
            function checkField(v) {
                if iszero(lt(v, r)) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }
            
            // G1 function to multiply a G1 value(x,y) to value in an address
            function g1_mulAccC(pR, x, y, s) {
                let success
                let mIn := mload(0x40)
                mstore(mIn, x)
                mstore(add(mIn, 32), y)
                mstore(add(mIn, 64), s)

                success := staticcall(sub(gas(), 2000), 7, mIn, 96, mIn, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }

                mstore(add(mIn, 64), mload(pR))
                mstore(add(mIn, 96), mload(add(pR, 32)))

                success := staticcall(sub(gas(), 2000), 6, mIn, 128, pR, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }

            function checkPairing(pA, pB, pC, pubSignals, pMem) -> isOk {
                let _pPairing := add(pMem, pPairing)
                let _pVk := add(pMem, pVk)

                mstore(_pVk, IC0x)
                mstore(add(_pVk, 32), IC0y)

                // Compute the linear combination vk_x
                
                g1_mulAccC(_pVk, IC1x, IC1y, calldataload(add(pubSignals, 0)))
                
                g1_mulAccC(_pVk, IC2x, IC2y, calldataload(add(pubSignals, 32)))
                
                g1_mulAccC(_pVk, IC3x, IC3y, calldataload(add(pubSignals, 64)))
                
                g1_mulAccC(_pVk, IC4x, IC4y, calldataload(add(pubSignals, 96)))
                
                g1_mulAccC(_pVk, IC5x, IC5y, calldataload(add(pubSignals, 128)))
                
                g1_mulAccC(_pVk, IC6x, IC6y, calldataload(add(pubSignals, 160)))
                
                g1_mulAccC(_pVk, IC7x, IC7y, calldataload(add(pubSignals, 192)))
                
                g1_mulAccC(_pVk, IC8x, IC8y, calldataload(add(pubSignals, 224)))
                
                g1_mulAccC(_pVk, IC9x, IC9y, calldataload(add(pubSignals, 256)))
                
                g1_mulAccC(_pVk, IC10x, IC10y, calldataload(add(pubSignals, 288)))
                
                g1_mulAccC(_pVk, IC11x, IC11y, calldataload(add(pubSignals, 320)))
                
                g1_mulAccC(_pVk, IC12x, IC12y, calldataload(add(pubSignals, 352)))
                
                g1_mulAccC(_pVk, IC13x, IC13y, calldataload(add(pubSignals, 384)))
                
                g1_mulAccC(_pVk, IC14x, IC14y, calldataload(add(pubSignals, 416)))
                
                g1_mulAccC(_pVk, IC15x, IC15y, calldataload(add(pubSignals, 448)))
                
                g1_mulAccC(_pVk, IC16x, IC16y, calldataload(add(pubSignals, 480)))
                
                g1_mulAccC(_pVk, IC17x, IC17y, calldataload(add(pubSignals, 512)))
                
                g1_mulAccC(_pVk, IC18x, IC18y, calldataload(add(pubSignals, 544)))
                
                g1_mulAccC(_pVk, IC19x, IC19y, calldataload(add(pubSignals, 576)))
                
                g1_mulAccC(_pVk, IC20x, IC20y, calldataload(add(pubSignals, 608)))
                
                g1_mulAccC(_pVk, IC21x, IC21y, calldataload(add(pubSignals, 640)))
                
                g1_mulAccC(_pVk, IC22x, IC22y, calldataload(add(pubSignals, 672)))
                
                g1_mulAccC(_pVk, IC23x, IC23y, calldataload(add(pubSignals, 704)))
                
                g1_mulAccC(_pVk, IC24x, IC24y, calldataload(add(pubSignals, 736)))
                
                g1_mulAccC(_pVk, IC25x, IC25y, calldataload(add(pubSignals, 768)))
                
                g1_mulAccC(_pVk, IC26x, IC26y, calldataload(add(pubSignals, 800)))
                
                g1_mulAccC(_pVk, IC27x, IC27y, calldataload(add(pubSignals, 832)))
                
                g1_mulAccC(_pVk, IC28x, IC28y, calldataload(add(pubSignals, 864)))
                

                // -A
                mstore(_pPairing, calldataload(pA))
                mstore(add(_pPairing, 32), mod(sub(q, calldataload(add(pA, 32))), q))

                // B
                mstore(add(_pPairing, 64), calldataload(pB))
                mstore(add(_pPairing, 96), calldataload(add(pB, 32)))
                mstore(add(_pPairing, 128), calldataload(add(pB, 64)))
                mstore(add(_pPairing, 160), calldataload(add(pB, 96)))

                // alpha1
                mstore(add(_pPairing, 192), alphax)
                mstore(add(_pPairing, 224), alphay)

                // beta2
                mstore(add(_pPairing, 256), betax1)
                mstore(add(_pPairing, 288), betax2)
                mstore(add(_pPairing, 320), betay1)
                mstore(add(_pPairing, 352), betay2)

                // vk_x
                mstore(add(_pPairing, 384), mload(add(pMem, pVk)))
                mstore(add(_pPairing, 416), mload(add(pMem, add(pVk, 32))))


                // gamma2
                mstore(add(_pPairing, 448), gammax1)
                mstore(add(_pPairing, 480), gammax2)
                mstore(add(_pPairing, 512), gammay1)
                mstore(add(_pPairing, 544), gammay2)

                // C
                mstore(add(_pPairing, 576), calldataload(pC))
                mstore(add(_pPairing, 608), calldataload(add(pC, 32)))

                // delta2
                mstore(add(_pPairing, 640), deltax1)
                mstore(add(_pPairing, 672), deltax2)
                mstore(add(_pPairing, 704), deltay1)
                mstore(add(_pPairing, 736), deltay2)


                let success := staticcall(sub(gas(), 2000), 8, _pPairing, 768, _pPairing, 0x20)

                isOk := and(success, mload(_pPairing))
            }

            let pMem := mload(0x40)
            mstore(0x40, add(pMem, pLastMem))

            // Validate that all evaluations ∈ F
            
            checkField(calldataload(add(_pubSignals, 0)))
            
            checkField(calldataload(add(_pubSignals, 32)))
            
            checkField(calldataload(add(_pubSignals, 64)))
            
            checkField(calldataload(add(_pubSignals, 96)))
            
            checkField(calldataload(add(_pubSignals, 128)))
            
            checkField(calldataload(add(_pubSignals, 160)))
            
            checkField(calldataload(add(_pubSignals, 192)))
            
            checkField(calldataload(add(_pubSignals, 224)))
            
            checkField(calldataload(add(_pubSignals, 256)))
            
            checkField(calldataload(add(_pubSignals, 288)))
            
            checkField(calldataload(add(_pubSignals, 320)))
            
            checkField(calldataload(add(_pubSignals, 352)))
            
            checkField(calldataload(add(_pubSignals, 384)))
            
            checkField(calldataload(add(_pubSignals, 416)))
            
            checkField(calldataload(add(_pubSignals, 448)))
            
            checkField(calldataload(add(_pubSignals, 480)))
            
            checkField(calldataload(add(_pubSignals, 512)))
            
            checkField(calldataload(add(_pubSignals, 544)))
            
            checkField(calldataload(add(_pubSignals, 576)))
            
            checkField(calldataload(add(_pubSignals, 608)))
            
            checkField(calldataload(add(_pubSignals, 640)))
            
            checkField(calldataload(add(_pubSignals, 672)))
            
            checkField(calldataload(add(_pubSignals, 704)))
            
            checkField(calldataload(add(_pubSignals, 736)))
            
            checkField(calldataload(add(_pubSignals, 768)))
            
            checkField(calldataload(add(_pubSignals, 800)))
            
            checkField(calldataload(add(_pubSignals, 832)))
            
            checkField(calldataload(add(_pubSignals, 864)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
